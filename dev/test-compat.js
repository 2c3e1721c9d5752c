// @ts-check
/**
 * `npm run test:compat`: the whole engine-level suite (the jest suite of
 * `npm test`) against the n8n-core and n8n-workflow of each n8n release in the
 * matrix. The pinned dev dependencies are the first; each other release is
 * installed into .compat/<name>/ from dev/compat/<name>/ and mapped in by
 * jest.config.js (N8N_COMPAT_DIR). Prints the matrix; fails if any test fails.
 *
 * --without-pinned leaves out the pinned set, which `npm test` has just run.
 * --outputFile=<file> writes the totals as jest's --json does, for .ci/run.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { toolFlags, writeTotals } = require('./ci-totals');
const { ensurePinnedInstall } = require('./lockfile-install');

const REPO_ROOT = path.resolve(__dirname, '..');

/** @typedef {{ name: string, dir?: string, jestArgs?: string[] }} MatrixEntry */

/** @type {MatrixEntry[]} */
const MATRIX = [
	{ name: 'pinned' },
	{ name: 'n8n-2.33', dir: '.compat/n8n-2.33' },
	// n8n-core 1.x starts a 60-second cleanup timer (SSHClientsManager) that keeps
	// the process alive until n8n shuts it down; 2.x no longer holds the process for it.
	{ name: 'n8n-1.123', dir: '.compat/n8n-1.123', jestArgs: ['--forceExit'] },
];

/** @param {string} dir @param {string} name */
function versionOf(dir, name) {
	return require(path.join(REPO_ROOT, dir, 'node_modules', name, 'package.json')).version;
}

/** Installs a release's n8n-core and n8n-workflow; the pinned set is the dev dependencies. @param {MatrixEntry} entry */
function installCompatSet(entry) {
	if (!entry.dir) return;
	ensurePinnedInstall({
		sourceDir: path.join(__dirname, 'compat', entry.name),
		targetDir: path.join(REPO_ROOT, entry.dir),
		label: `n8n-core and n8n-workflow for ${entry.name}`,
		mustExist: ['node_modules/n8n-core/package.json', 'node_modules/n8n-workflow/package.json'],
	});
}

/** @param {MatrixEntry} entry */
function runSuite(entry) {
	installCompatSet(entry);
	const dir = entry.dir ?? '.';
	const label = `n8n-core ${versionOf(dir, 'n8n-core')} / n8n-workflow ${versionOf(dir, 'n8n-workflow')}`;
	console.log(`\n::: engine-level suite against ${label} (${entry.name})`);
	const resultFile = path.join(
		fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-compat-')),
		'result.json',
	);
	spawnSync(
		process.execPath,
		[
			require.resolve('jest/bin/jest'),
			'--selectProjects',
			'unit',
			'--json',
			`--outputFile=${resultFile}`,
			...(entry.jestArgs ?? []),
		],
		{
			cwd: REPO_ROOT,
			stdio: 'inherit',
			env: {
				...process.env,
				...(entry.dir ? { N8N_COMPAT_DIR: path.join(REPO_ROOT, entry.dir) } : {}),
			},
		},
	);
	const result = fs.existsSync(resultFile)
		? require(resultFile)
		: { numPassedTests: 0, numFailedTests: 0, numTotalTests: 0, numRuntimeErrorTestSuites: 1 };
	fs.rmSync(path.dirname(resultFile), { recursive: true, force: true });
	return { entry, label, result };
}

function main() {
	const flags = toolFlags({ 'without-pinned': { type: 'boolean' } });
	const runs = MATRIX.filter(({ name }) => !(flags['without-pinned'] && name === 'pinned')).map(
		runSuite,
	);

	console.log('\n| n8n-core / n8n-workflow | passed | failed | suites that did not run |');
	console.log('|---|---|---|---|');
	for (const { entry, label, result } of runs) {
		console.log(
			`| ${label}${entry.name === 'pinned' ? ' (pinned)' : ''} | ${result.numPassedTests} / ${result.numTotalTests} | ${result.numFailedTests} | ${result.numRuntimeErrorTestSuites} |`,
		);
	}
	const totals = { numPassedTests: 0, numFailedTests: 0, numRuntimeErrorTestSuites: 0 };
	for (const { result } of runs)
		for (const key of /** @type {Array<keyof typeof totals>} */ (Object.keys(totals)))
			totals[key] += result[key];
	writeTotals(totals, flags.outputFile);
	const failed = totals.numFailedTests + totals.numRuntimeErrorTestSuites;
	process.exit(failed > 0 || runs.some(({ result }) => result.numTotalTests === 0) ? 1 : 0);
}

if (require.main === module) main();

module.exports = { MATRIX, installCompatSet };
