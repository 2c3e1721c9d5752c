// @ts-check
/**
 * Redis and PostgreSQL for n8n's queue mode, from Debian's `redis-server` and
 * `postgresql` packages: each on a free loopback port, with its data in a
 * temporary folder that `stop()` removes.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { acceptsConnections, endProcess, freePort, startProcess } = require('./n8n');

const DEBIAN_PACKAGES = 'apt-get install redis-server postgresql';

/** PostgreSQL refuses to run as root; as root, its programs run as the `postgres` user. */
const POSTGRES_USER = 'postgres';

/**
 * The command and arguments that run `command` as `user`, or as it is without one.
 * @param {string | undefined} user @param {string} command @param {string[]} args
 * @returns {[string, string[]]}
 */
function commandAs(user, command, args) {
	return user ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
}

/** @param {string} binary @param {string} pkg */
function requireBinary(binary, pkg) {
	if (!fs.existsSync(binary)) {
		throw new Error(`${binary} is missing: install Debian's ${pkg} package (${DEBIAN_PACKAGES})`);
	}
	return binary;
}

function postgresBin(/** @type {string} */ name) {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((entry) => fs.existsSync(path.join(root, entry, 'bin', name)))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	return requireBinary(path.join(root, versions[0] ?? '<version>', 'bin', name), 'postgresql');
}

/**
 * Starts a long-running server process and waits until it accepts connections
 * on its port; `stop()` ends it and removes its folder.
 * @param {{ command: string, args: string[], port: number, folder: string, asUser?: string }} options
 */
async function startServer({ command, args, port, folder, asUser }) {
	const removeFolder = () => fs.rmSync(folder, { recursive: true, force: true });
	const { child } = await startProcess(
		path.basename(command),
		commandAs(asUser, command, args),
		{ cwd: folder },
		() => acceptsConnections(port),
		30_000,
	).catch((error) => {
		removeFolder();
		throw error;
	});
	const stop = async () => {
		await endProcess(child, { graceMs: 10_000 });
		removeFolder();
	};
	return { port, stop };
}

/** Redis without persistence. */
async function startRedis() {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-redis-'));
	const port = await freePort();
	const command = requireBinary('/usr/bin/redis-server', 'redis-server');
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
	return startServer({ command, args: [...args, '--dir', folder], port, folder });
}

/**
 * PostgreSQL with one superuser `n8n` trusted on loopback, and durability off:
 * the data lives only as long as the test.
 */
async function startPostgres() {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-postgres-'));
	const data = path.join(folder, 'data');
	const asUser = process.getuid?.() === 0 ? POSTGRES_USER : undefined;
	if (asUser) {
		fs.chmodSync(folder, 0o755);
		execFileSync('chown', [asUser, folder]);
	}
	const initArgs = ['-D', data, '-U', 'n8n', '--auth=trust', '--encoding=UTF8', '--no-sync'];
	execFileSync(...commandAs(asUser, postgresBin('initdb'), initArgs), {
		cwd: folder,
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	const port = await freePort();
	const settings = {
		listen_addresses: '127.0.0.1',
		port: String(port),
		unix_socket_directories: folder,
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
		max_connections: '200',
	};
	const args = [
		'-D',
		data,
		...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
	];
	const server = await startServer({
		command: postgresBin('postgres'),
		args,
		port,
		folder,
		asUser,
	});
	return {
		...server,
		/** n8n's settings for this database. */
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: 'n8n',
		},
	};
}

module.exports = { startPostgres, startRedis };
