// @ts-check
/**
 * A real n8n for end-to-end runs: its own user folder, this package installed
 * into it the way a user installs a community package, and helpers to import
 * credentials and workflows, execute workflows from the CLI, and run the server.
 */
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const { once } = require('node:events');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { takeLock } = require('./lockfile-install');
const { installRuntime, node24Env, paths } = require('./runtime');
const { SANDBOX_FILES_DIR } = require('./workflows');

/** What dist/ is built from. */
const BUILD_SOURCES = ['nodes', 'credentials', 'package.json', 'tsconfig.json', 'gulpfile.js'];

/** Builds the package unless this did since its sources last changed (a suite creates many n8n); workers take turns. */
function buildPackage() {
	const stamp = path.join(paths.runtimesDir, 'dist-built');
	fs.mkdirSync(paths.runtimesDir, { recursive: true });
	const release = takeLock(stamp, () => undefined);
	try {
		const changed = BUILD_SOURCES.flatMap((source) => {
			const full = path.join(paths.repoRoot, source);
			const entries = fs.statSync(full).isDirectory()
				? fs
						.readdirSync(full, { recursive: true, encoding: 'utf8' })
						.map((entry) => path.join(full, entry))
				: [];
			return [full, ...entries].map((entry) => fs.statSync(entry).mtimeMs);
		});
		const built = fs.existsSync(stamp) && fs.existsSync(path.join(paths.repoRoot, 'dist'));
		if (built && fs.statSync(stamp).mtimeMs > Math.max(...changed)) return;
		execFileSync('npm', ['run', 'build', '--silent'], {
			cwd: paths.repoRoot,
			stdio: ['ignore', 'ignore', 'inherit'],
		});
		fs.writeFileSync(stamp, '');
	} finally {
		release();
	}
}

/**
 * Builds the package (with `.npmrc`'s ignore-scripts, packing does not) and
 * packs it as npm would publish it; returns the tarball and the files in it.
 * @param {string} destination
 * @returns {{ tarball: string, files: string[] }}
 */
function packPackage(destination) {
	buildPackage();
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: paths.repoRoot,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [packed] = JSON.parse(output);
	return {
		tarball: path.join(destination, packed.filename),
		files: packed.files.map((/** @type {{ path: string }} */ file) => file.path),
	};
}

/**
 * What the Community Nodes panel does: an npm install of the packed package
 * into ~/.n8n/nodes (`nodesDir`). npm takes seconds, resolving the peer
 * n8n-workflow's tree, so each tarball (by its SHA-256) is installed once into
 * .e2e-runtime/installed-package/, and each user folder gets a copy.
 * @param {string} nodesDir
 */
function installPackage(nodesDir) {
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-pack-'));
	try {
		const { tarball } = packPackage(scratch);
		const hash = crypto.createHash('sha256').update(fs.readFileSync(tarball)).digest('hex');
		const installed = path.join(paths.runtimesDir, 'installed-package', hash);
		if (!fs.existsSync(installed)) {
			// Installed beside it, then renamed: complete or absent, should another process
			// install the same tarball at the same time.
			const staging = `${installed}.${process.pid}`;
			fs.mkdirSync(staging, { recursive: true });
			fs.writeFileSync(
				path.join(staging, 'package.json'),
				JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
			);
			execFileSync(
				'npm',
				[
					'install',
					tarball,
					'--omit=peer',
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
					'--loglevel=error',
				],
				{ cwd: staging, stdio: ['ignore', 'ignore', 'inherit'] },
			);
			try {
				fs.renameSync(staging, installed);
			} catch (error) {
				fs.rmSync(staging, { recursive: true, force: true });
				if (!fs.existsSync(installed)) throw error;
			}
		}
		fs.cpSync(installed, nodesDir, { recursive: true });
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/**
 * Ends a child process and waits until it has exited: `signal` first, SIGKILL
 * if it is still running after `graceMs`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ signal?: NodeJS.Signals, graceMs?: number }} [options]
 */
async function endProcess(child, { signal = 'SIGTERM', graceMs = 20_000 } = {}) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, 'exit');
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

/** A free TCP port on the loopback interface. */
async function freePort() {
	const server = net.createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = /** @type {net.AddressInfo} */ (server.address());
	await once(server.close(), 'close');
	return port;
}

/**
 * Whether something accepts connections on a loopback port: the readiness of a
 * server with no health endpoint.
 * @param {number} port
 */
async function acceptsConnections(port) {
	const socket = net.connect(port, '127.0.0.1');
	await once(socket, 'connect').finally(() => socket.destroy());
	return true;
}

/**
 * Starts a long-running process and waits until `isReady` answers true (a
 * failure of it counts as not yet). If the process exits first or is not
 * ready within `timeoutMs`, it is ended and the error shows its output.
 * @param {string} name @param {[string, string[]]} command the program and its arguments
 * @param {import('node:child_process').SpawnOptions} options
 * @param {() => Promise<boolean>} isReady @param {number} timeoutMs
 */
async function startProcess(name, [command, args], options, isReady, timeoutMs) {
	const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
	const output = { text: '' };
	child.stdout?.on('data', (chunk) => (output.text += chunk));
	child.stderr?.on('data', (chunk) => (output.text += chunk));
	const deadline = Date.now() + timeoutMs;
	const exited = () => child.exitCode !== null || child.signalCode !== null;
	while (!exited() && Date.now() < deadline) {
		if (await isReady().catch(() => false)) return { child, output };
		await sleep(250);
	}
	const why = exited()
		? `exited with ${child.exitCode ?? child.signalCode}`
		: `was not ready within ${timeoutMs} ms`;
	await endProcess(child);
	throw new Error(`${name} ${why} while starting:\n${output.text}`);
}

/**
 * @typedef {object} CliResult
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal what ended the process, when a signal did
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * The run data `n8n execute --rawOutput` prints: pretty-printed JSON, so it is
 * the block from a line `{` to the next line `}`, among n8n's other log lines.
 * @param {string} stdout
 */
function parseRunData(stdout) {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	if (start < 0 || end < 0) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n'));
	} catch {
		return undefined;
	}
}

class N8n {
	/**
	 * @param {string} userFolder
	 * @param {Record<string, string>} [extraEnv]
	 */
	constructor(userFolder, extraEnv = {}) {
		this.userFolder = userFolder;
		this.extraEnv = extraEnv;
		/** @type {import('node:child_process').ChildProcess | undefined} */
		this.server = undefined;
		this.port = 0;
		this.output = { text: '' };
		/** @type {string | undefined} */
		this.cookie = undefined;
	}

	/**
	 * A fresh n8n user folder with the package installed from its npm tarball.
	 * @param {{ env?: Record<string, string>, log?: (line: string) => void }} [options]
	 */
	static create({ env, log } = {}) {
		installRuntime({ log });
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-n8n-'));
		installPackage(path.join(folder, '.n8n', 'nodes'));
		return new N8n(folder, env);
	}

	/**
	 * The environment of one n8n process. Each runs a task broker for the Code
	 * node (`n8n execute` too), by default on 5679, which another n8n may hold.
	 * @param {Record<string, string>} [extra]
	 */
	async env(extra = {}) {
		return node24Env({
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			// Jest sets NODE_ENV=test, under which n8n's logger prints nothing.
			NODE_ENV: 'production',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'enkash-coins-e2e-encryption-key',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'warn',
			// The editor and a worker's health check listen on loopback only.
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_HOST: 'localhost',
			// The sandbox stands in for Enkash on loopback, which n8n's SSRF guard (off by
			// default) refuses when an environment switches it on.
			N8N_SSRF_PROTECTION_ENABLED: 'false',
			// The folder the CSV recipe reads from, as a person's n8n 2.x reads from ~/.n8n-files.
			N8N_RESTRICT_FILE_ACCESS_TO: SANDBOX_FILES_DIR,
			...this.extraEnv,
			...extra,
		});
	}

	/**
	 * Runs an n8n CLI command to completion. Its output goes to files, not pipes:
	 * n8n ends the process as soon as it is done, and a pipe not yet drained by
	 * then loses the rest (the run data of a large `execute`).
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [options]
	 * @returns {Promise<CliResult>}
	 */
	async cli(args, { timeoutMs = 180_000, env = {} } = {}) {
		const outputDir = fs.mkdtempSync(path.join(this.userFolder, 'cli-'));
		const files = ['stdout', 'stderr'].map((name) => path.join(outputDir, name));
		const fds = files.map((file) => fs.openSync(file, 'w'));
		// Past the timeout Node kills it, which sets child.killed (nothing else here kills it).
		const child = spawn(paths.nodeBin, [paths.n8nBin, ...args], {
			env: await this.env(env),
			stdio: ['ignore', ...fds],
			timeout: timeoutMs,
			killSignal: 'SIGKILL',
		});
		fds.forEach((fd) => fs.closeSync(fd));
		const [code, signal] = await once(child, 'close');
		const [stdout, stderr] = files.map((file) => fs.readFileSync(file, 'utf8'));
		fs.rmSync(outputDir, { recursive: true, force: true });
		if (child.killed)
			throw new Error(
				`n8n ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`,
			);
		return { code, signal, stdout, stderr };
	}

	/** @param {string[]} args */
	async mustRun(args) {
		const result = await this.cli(args);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
			);
		}
		return result;
	}

	/**
	 * Imports credentials given in plain text; n8n encrypts them on import.
	 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} credentials
	 */
	async importCredentials(credentials) {
		const file = path.join(this.userFolder, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		await this.mustRun(['import:credentials', `--input=${file}`]);
	}

	/**
	 * Imports many workflows with one n8n command.
	 * @param {Array<Record<string, unknown>>} workflows
	 */
	async importWorkflows(workflows) {
		const directory = fs.mkdtempSync(path.join(this.userFolder, 'workflows-'));
		for (const workflow of workflows)
			fs.writeFileSync(path.join(directory, `${workflow.id}.json`), JSON.stringify(workflow));
		await this.mustRun(['import:workflow', '--separate', `--input=${directory}`]);
	}

	/** @param {Record<string, unknown>} workflow */
	async importWorkflow(workflow) {
		await this.importWorkflows([workflow]);
	}

	/**
	 * Publishes workflows on the running server as the owner, as the editor's Publish button does
	 * (n8n 1.x: its Active toggle), and waits until their webhooks answer: n8n 2.x takes a
	 * published workflow live after it has answered (its publication outbox).
	 * @param {string[]} ids
	 */
	async publishWorkflows(ids) {
		const major = Number(paths.n8nVersion.split('.')[0]);
		for (const id of ids) {
			const { versionId, nodes } = await this.rest('GET', `/workflows/${id}`);
			if (major >= 2) await this.rest('POST', `/workflows/${id}/activate`, { versionId });
			else await this.rest('PATCH', `/workflows/${id}`, { active: true, versionId });
			for (const { type, parameters } of nodes)
				if (type === 'n8n-nodes-base.webhook') await this.waitForWebhook(parameters.path);
		}
	}

	/**
	 * Waits until a published workflow's production webhook (a POST one) is
	 * registered. A GET runs nothing; n8n answers it "not registered for GET
	 * requests" once the POST webhook exists, and "is not registered" before.
	 * @param {string} webhookPath
	 */
	async waitForWebhook(webhookPath) {
		const timeoutMs = 60_000;
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const response = await fetch(`${this.baseUrl}/webhook/${webhookPath}`);
			const answer = /** @type {{ message?: string }} */ (await response.json().catch(() => ({})));
			if (/not registered for GET requests/.test(answer.message ?? '')) return;
			await sleep(100);
		}
		throw new Error(
			`The webhook ${webhookPath} was not registered within ${timeoutMs} ms:\n${this.serverLog}`,
		);
	}

	/**
	 * Executes an imported workflow from the CLI and returns n8n's run data.
	 * @param {string} id
	 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options] more environment for the n8n process
	 * @returns {Promise<{ ok: boolean, run: any, output: CliResult }>}
	 */
	async execute(id, { env = {}, timeoutMs } = {}) {
		// `execute` prints the run through n8n's logger, at level info.
		const output = await this.cli(['execute', `--id=${id}`, '--rawOutput'], {
			env: { N8N_LOG_LEVEL: 'info', ...env },
			timeoutMs,
		});
		const run = parseRunData(output.stdout);
		// n8n 2.41.1's CLI sometimes crashes (SIGSEGV, about 1 run in 12 here) while it
		// exits, after printing the run: a V8 isolate on another thread still runs as the
		// process tears down. The execution is over by then, and its run data says how it went.
		const crashedWhileExiting = output.signal === 'SIGSEGV' && run?.status !== undefined;
		const ok = crashedWhileExiting ? run.status === 'success' : output.code === 0;
		return { ok: ok && run !== undefined, run, output };
	}

	/**
	 * The credential test n8n's editor runs on Save, each time the credential's
	 * dialog opens, and on Retry: `POST /rest/credentials/test` with the values
	 * the dialog holds (those of `GET /rest/credentials/:id?includeData=true`,
	 * password fields redacted, which n8n fills in from the stored credential).
	 * Needs a running `n8n start` with the owner signed in ({@link setupOwner}).
	 * @param {{ id: string, name: string, type: string }} credential
	 * @param {Record<string, unknown>} data
	 * @returns {Promise<{ status: string, message: string }>}
	 */
	async testCredential({ id, name, type }, data) {
		return await this.rest('POST', '/credentials/test', { credentials: { id, name, type, data } });
	}

	/**
	 * Has Enkash accept a password credential's login, as a person does before
	 * workflows may send it: opens the credential as the editor does and tests it
	 * (one token request), after which n8n stores the accepted login in the
	 * credential. Every execution sends only a login Enkash has accepted.
	 * Call it once `n8n start` runs and {@link setupOwner} has signed in.
	 * @param {{ id: string }} credential
	 */
	async acceptLogin(credential) {
		if (!this.server || !this.cookie)
			throw new Error(
				`acceptLogin(${credential.id}) tests the credential through n8n's REST API: call it after start() and setupOwner()`,
			);
		const stored = await this.rest('GET', `/credentials/${credential.id}?includeData=true`);
		const result = await this.testCredential(stored, stored.data);
		if (result.status !== 'OK')
			throw new Error(
				`The test of the credential "${stored.name}" failed: ${result.status}: ${result.message}`,
			);
	}

	/**
	 * {@link acceptLogin} for an n8n whose workflows then run with `n8n execute`:
	 * starts `n8n start` for it unless it runs, sets up `owner` unless it is
	 * signed in already, and stops the server again if it started it.
	 * @param {Array<{ id: string }>} credentials
	 * @param {{ email: string, password: string }} owner
	 */
	async acceptLogins(credentials, owner) {
		const started = !this.server;
		if (started) await this.start();
		try {
			if (!this.cookie) await this.setupOwner(owner);
			for (const credential of credentials) await this.acceptLogin(credential);
		} finally {
			if (started) await this.stop();
		}
	}

	/**
	 * Another n8n process of the same installation, such as a queue-mode worker:
	 * its own user folder (n8n keeps a crash journal and event log there), the
	 * same installed package and settings.
	 * @param {string} name
	 */
	sibling(name) {
		const folder = path.join(this.userFolder, name);
		fs.mkdirSync(path.join(folder, '.n8n'), { recursive: true });
		fs.symlinkSync(path.join(this.userFolder, '.n8n', 'nodes'), path.join(folder, '.n8n', 'nodes'));
		return new N8n(folder, this.extraEnv);
	}

	/**
	 * Starts `n8n start` on a free loopback port and waits until it is ready.
	 * @param {{ port?: number }} [options]
	 */
	async start({ port } = {}) {
		this.port = port ?? (await freePort());
		await this.serve(['start'], { N8N_PORT: String(this.port) });
		// n8n 1.x reports itself ready before it has mounted its REST API (404 until then).
		const deadline = Date.now() + 60_000;
		while ((await fetch(`${this.baseUrl}/rest/settings`)).status === 404) {
			if (Date.now() > deadline)
				throw new Error(`n8n's REST API did not answer within 60 s:\n${this.serverLog}`);
			await sleep(250);
		}
		return this;
	}

	/**
	 * Starts a queue-mode worker (`n8n worker`) and waits until it is ready; its
	 * health endpoint takes the place of the editor's port.
	 */
	async startWorker() {
		this.port = await freePort();
		const env = { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port) };
		return this.serve(['worker', '--concurrency=10'], env);
	}

	/**
	 * Runs an n8n server command until its readiness endpoint answers.
	 * @param {string[]} args @param {Record<string, string>} env
	 */
	async serve(args, env) {
		const { child, output } = await startProcess(
			'n8n',
			[paths.nodeBin, [paths.n8nBin, ...args]],
			{ env: await this.env(env) },
			async () => (await fetch(`${this.baseUrl}/healthz/readiness`)).ok,
			120_000,
		);
		[this.server, this.output] = [child, output];
		return this;
	}

	/** What the server has printed so far. */
	get serverLog() {
		return this.output.text;
	}

	/**
	 * Creates the owner account of a fresh instance and keeps its session cookie
	 * for {@link rest}.
	 * @param {{ email: string, password: string, firstName?: string, lastName?: string }} owner
	 */
	async setupOwner({ email, password, firstName = 'Loyalty', lastName = 'Admin' }) {
		const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, password, firstName, lastName }),
		});
		if (!response.ok)
			throw new Error(`Owner setup failed: ${response.status} ${await response.text()}`);
		this.cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
	}

	/**
	 * Calls n8n's REST API as the owner.
	 * @param {string} method @param {string} route e.g. '/credentials/test' @param {unknown} [body]
	 */
	async rest(method, route, body) {
		const response = await fetch(`${this.baseUrl}/rest${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				cookie: this.cookie ?? '',
				'browser-id': 'enkash-e2e',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${route} failed: ${response.status} ${text}`);
		return JSON.parse(text).data;
	}

	/**
	 * A workflow's executions as the executions list shows them, newest first (up to 100), as the owner.
	 * @param {string} workflowId @returns {Promise<Array<{ id: string, status: string }>>}
	 */
	async workflowExecutions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		return (await this.rest('GET', `/executions?limit=100&filter=${filter}`)).results;
	}

	/**
	 * An execution's run data, from n8n's REST API, as the owner.
	 * @param {string} id
	 * @returns {Promise<{ status: string, data: { resultData: { runData: Record<string, any[]> } } }>}
	 */
	async executionOf(id) {
		const execution = await this.rest('GET', `/executions/${id}`);
		// n8n sends the run data in the "flatted" format, with the library n8n depends on.
		const { parse } = require(path.join(paths.runtimeDir, 'node_modules/flatted'));
		return { ...execution, data: parse(execution.data) };
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The most memory the server process has held, from Linux's /proc. */
	peakMemoryBytes() {
		const status = fs.readFileSync(`/proc/${this.server?.pid}/status`, 'utf8');
		return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
	}

	/** Kills the server at once, as a crash or an out-of-memory kill would. */
	kill() {
		return this.stop('SIGKILL');
	}

	/** Stops the server gracefully (or kills it after a grace period), or with `signal`. */
	async stop(/** @type {NodeJS.Signals} */ signal = 'SIGTERM') {
		const child = this.server;
		this.server = undefined;
		if (child) await endProcess(child, { signal });
	}

	/** Stops the server and deletes the user folder. */
	async dispose() {
		await this.stop();
		fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

module.exports = { N8n, acceptsConnections, endProcess, freePort, packPackage, startProcess };
