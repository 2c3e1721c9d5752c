// @ts-check
/**
 * The pinned n8n releases that end-to-end tests, `npm start`
 * and the benchmark run: the newest the package supports, and its floor. Each
 * is installed on first use into .e2e-runtime/<name>/ (ignored by git) from
 * dev/runtimes/<name>/package-lock.json, and reused while that lockfile is
 * unchanged. N8N_E2E_RUNTIME names the one to use; the newest by default.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { cleanNpmEnv, ensurePinnedInstall, takeLock } = require('./lockfile-install');
const { envWithNode, node24Home } = require('./node24');

const REPO_ROOT = path.resolve(__dirname, '..');

/** The n8n releases tested end to end, by folder name under dev/runtimes/. */
const RUNTIMES = { newest: 'n8n-2.41.1', floor: 'n8n-1.123.81' };

const runtimeName = process.env.N8N_E2E_RUNTIME || RUNTIMES.newest;
/** @param {string} name */
const runtimeSourceOf = (name) => path.join(REPO_ROOT, 'dev/runtimes', name);
const RUNTIME_SOURCE = runtimeSourceOf(runtimeName);
if (!fs.existsSync(path.join(RUNTIME_SOURCE, 'package-lock.json'))) {
	throw new Error(
		`N8N_E2E_RUNTIME=${runtimeName}: there is no dev/runtimes/${runtimeName}/package-lock.json`,
	);
}
const RUNTIMES_DIR = path.join(REPO_ROOT, '.e2e-runtime');
const RUNTIME_DIR = path.join(RUNTIMES_DIR, runtimeName);
const SQLITE_ADDON = 'node_modules/sqlite3/build/Release/node_sqlite3.node';

const paths = {
	repoRoot: REPO_ROOT,
	/** Where the runtimes, and what the suites keep between runs, are installed (ignored by git). */
	runtimesDir: RUNTIMES_DIR,
	runtimeDir: RUNTIME_DIR,
	/** Node 24: the one running, or the one dev/node24.js installs. */
	get nodeBin() {
		return path.join(node24Home(), 'bin/node');
	},
	n8nBin: path.join(RUNTIME_DIR, 'node_modules/n8n/bin/n8n'),
	/** The n8n release, from the lockfile: readable before it is installed. */
	n8nVersion: /** @type {string} */ (
		require(path.join(RUNTIME_SOURCE, 'package-lock.json')).packages['node_modules/n8n'].version
	),
};

/**
 * Environment in which Node 24 comes first, as n8n and its native modules need,
 * without this repository's npm settings.
 * @param {Record<string, string>} [extra]
 */
function node24Env(extra = {}) {
	return { ...envWithNode(node24Home(), cleanNpmEnv()), ...extra };
}

/**
 * sqlite3 is the one native module n8n needs built (its prebuilt download is
 * unreachable here): built once per sqlite3 version and Node ABI, then copied
 * into every runtime that pins the same version.
 * @param {string} runtimeDir
 * @param {(...args: string[]) => void} npm
 */
function buildSqlite(runtimeDir, npm) {
	const { version } = require(path.join(runtimeDir, 'node_modules/sqlite3/package.json'));
	const cached = path.join(RUNTIMES_DIR, `.sqlite3-${version}-node-abi-${nodeAbi()}.node`);
	const addon = path.join(runtimeDir, SQLITE_ADDON);
	// Both runtimes pin the same sqlite3, and .ci/run installs them at once: one builds it.
	const release = takeLock(cached, () => undefined);
	try {
		if (!fs.existsSync(cached)) {
			npm('rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error');
			if (!fs.existsSync(addon)) throw new Error(`sqlite3 was not built: ${addon} is missing`);
			fs.copyFileSync(addon, cached);
		}
	} finally {
		release();
	}
	fs.mkdirSync(path.dirname(addon), { recursive: true });
	fs.copyFileSync(cached, addon);
}

function nodeAbi() {
	return execFileSync(paths.nodeBin, ['-p', 'process.versions.modules'], {
		encoding: 'utf8',
	}).trim();
}

/**
 * Installs an n8n of dev/runtimes/, the selected one by default, unless it is
 * already there.
 * @param {{ name?: string, log?: (line: string) => void }} [options]
 */
function installRuntime({ name = runtimeName, log } = {}) {
	node24Home({ log });
	const runtimeDir = path.join(RUNTIMES_DIR, name);
	ensurePinnedInstall({
		sourceDir: runtimeSourceOf(name),
		targetDir: runtimeDir,
		label: name,
		env: node24Env(),
		afterInstall: (npm) => buildSqlite(runtimeDir, npm),
		mustExist: ['node_modules/n8n/bin/n8n', SQLITE_ADDON],
		log,
	});
}

module.exports = { RUNTIMES, installRuntime, node24Env, paths };
