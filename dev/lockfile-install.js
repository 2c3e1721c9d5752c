// @ts-check
/**
 * Installs a pinned set of packages (a package.json and package-lock.json kept
 * in the repository) into a folder of its own, ignored by git, and reuses it
 * while the lockfile is unchanged. The pinned n8n runtimes, the n8n-core and
 * n8n-workflow releases of the compatibility matrix and Node 24 come this way.
 * Processes that need the same folder at once (`npm run install:pinned` in the
 * background while a suite starts) take turns: the second waits for the first.
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const lockfile = require('proper-lockfile');

const STAMP = '.installed-lock-sha256';

const lockHash = (/** @type {string} */ sourceDir) =>
	crypto
		.createHash('sha256')
		.update(fs.readFileSync(path.join(sourceDir, 'package-lock.json')))
		.digest('hex');

/**
 * The environment for commands run outside this repository's npm settings:
 * without the npm_* variables of a surrounding `npm run`, which would carry
 * them (ignore-scripts, its prefix) along.
 */
function cleanNpmEnv() {
	return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

/** How long a lock outlives a holder killed outright (one that exits releases it): longer than any install. */
const STALE_LOCK_MS = 30 * 60_000;

/**
 * Takes the lock of `targetDir` (proper-lockfile's `<targetDir>.lock`), waiting
 * while another process holds it. Returns the function that releases it.
 * @param {string} targetDir @param {() => void} onWait called once when it has to wait
 */
function takeLock(targetDir, onWait) {
	for (let waited = false; ; waited = true) {
		try {
			return lockfile.lockSync(targetDir, { realpath: false, stale: STALE_LOCK_MS });
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ELOCKED') throw error;
			if (!waited) onWait();
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // sleeps a second
		}
	}
}

/**
 * @param {object} options
 * @param {string} options.sourceDir where package.json and package-lock.json are kept
 * @param {string} options.targetDir where they are installed
 * @param {string} options.label what it is, for the log
 * @param {Record<string, string | undefined>} [options.env] the environment for npm; by default this one without npm_* settings
 * @param {(npm: (...args: string[]) => void) => void} [options.afterInstall] builds what the install left out
 * @param {string[]} [options.mustExist] files (relative to targetDir) without which the install is not complete
 * @param {(line: string) => void} [options.log]
 */
function ensurePinnedInstall({
	sourceDir,
	targetDir,
	label,
	env = cleanNpmEnv(),
	afterInstall,
	mustExist = [],
	log = (line) => console.error(line),
}) {
	const stampFile = path.join(targetDir, STAMP);
	const hash = lockHash(sourceDir);
	const installed = () =>
		fs.existsSync(stampFile) &&
		fs.readFileSync(stampFile, 'utf8').trim() === hash &&
		mustExist.every((file) => fs.existsSync(path.join(targetDir, file)));
	if (installed()) return;

	fs.mkdirSync(path.dirname(targetDir), { recursive: true });
	const release = takeLock(targetDir, () =>
		log(
			`Waiting for another process to finish installing ${label} (if none is, remove ${targetDir}.lock)...`,
		),
	);
	try {
		if (installed()) return;
		const started = Date.now();
		log(
			`Installing ${label} into ${path.relative(process.cwd(), targetDir) || targetDir} (first use only)...`,
		);
		fs.mkdirSync(targetDir, { recursive: true });
		fs.rmSync(stampFile, { force: true });
		for (const file of ['package.json', 'package-lock.json']) {
			fs.copyFileSync(path.join(sourceDir, file), path.join(targetDir, file));
		}
		const npm = (/** @type {string[]} */ ...args) =>
			execFileSync('npm', args, { cwd: targetDir, env, stdio: ['ignore', 'ignore', 'inherit'] });
		npm('ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error');
		afterInstall?.(npm);
		const missing = mustExist.filter((file) => !fs.existsSync(path.join(targetDir, file)));
		if (missing.length > 0)
			throw new Error(`${label} is incomplete: ${missing.join(', ')} missing in ${targetDir}`);
		fs.writeFileSync(stampFile, `${hash}\n`);
		log(`${label} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
	} finally {
		release();
	}
}

module.exports = { cleanNpmEnv, ensurePinnedInstall, takeLock };
