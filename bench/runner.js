// @ts-check
/**
 * Runs the scenarios: the sandbox in a process of its own for each, every
 * contender in alternating order for the rounds, a check of the balances
 * after every run, and a CPU profile of the node; keeps the measurements in
 * .e2e-runtime/bench-results.json.
 */
const { execFile, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { promisify } = require('node:util');

const { N8n, endProcess, freePort } = require('../dev/n8n');
const { paths } = require('../dev/runtime');
const { nodeOutput } = require('../dev/workflows');
const { summariseProfile } = require('./profile-summary');
const {
	DEFAULT_CONCURRENCY,
	MEASUREMENTS,
	QUICK,
	REPS,
	SCENARIOS,
	contender,
	resultKey,
	workflowId,
} = require('./scenarios');
const { COMPANY_ID, CREDENTIALS, EVENT, benchWorkflow } = require('./workflows');

/** @typedef {import('./scenarios').Contender} Contender */
/** @typedef {import('./scenarios').Scenario} Scenario */

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/**
 * Starts the sandbox in its own process, on `port`, with the scenario's latency
 * and rate limit; resolves with its URL, a token and the process.
 * @param {Scenario['sandbox']} options @param {number} port
 * @returns {Promise<{ url: string, token: string, child: import('node:child_process').ChildProcess }>}
 */
function startSandboxProcess(options, port) {
	const child = spawn(
		paths.nodeBin,
		[path.join(__dirname, 'sandbox-process.js'), JSON.stringify({ ...options, port })],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	return new Promise((resolve, reject) => {
		readline
			.createInterface({ input: /** @type {NodeJS.ReadableStream} */ (child.stdout) })
			.once('line', (line) => resolve({ ...JSON.parse(line), child }));
		child.once('exit', (code) => reject(new Error(`The sandbox exited with ${code}`)));
	});
}

/**
 * Calls the sandbox's control API.
 * @param {string} url @param {string} route @param {unknown} [body] @returns {Promise<any>}
 */
async function control(url, route, body) {
	const response = await fetch(`${url}/__sandbox/${route}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok)
		throw new Error(`sandbox ${route}: ${response.status} ${await response.text()}`);
	return response.json();
}

/** CPU seconds a process has used so far (user + system), from /proc. @param {number} pid */
function cpuSeconds(pid) {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// utime and stime, in clock ticks of 1/100 s on Linux.
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Checks that each of these users was credited exactly once in this run;
 * returns the sandbox's counts after it.
 * @param {string} url @param {string[]} userIds @param {{ allocations: number }} before
 * @returns {Promise<{ allocations: number, rateLimited: number }>}
 */
async function verifyCredits(url, userIds, before) {
	const state = await control(url, 'state');
	const wrong = userIds.filter((userId) => state.balances[userId] !== 1);
	const newAllocations = state.allocations - before.allocations;
	if (wrong.length > 0 || newAllocations !== userIds.length) {
		throw new Error(
			`Wrong balances after the run: ${wrong.length} users not credited exactly once, ${newAllocations} allocations for ${userIds.length} users`,
		);
	}
	return state;
}

/** The users a run's workflow created items for, from n8n's run data. @param {any} run @returns {string[]} */
function createdUserIds(run) {
	return nodeOutput(run, 'One Item Per User').map((item) => item.json.userId);
}

/** @typedef {{ ms: number[], rss: number[], sandboxCpu: number[], rateLimited: number[] }} Measurements */

/**
 * One run of a contender: its time, peak memory and the users it credited.
 * @param {{ n8n: N8n, sandbox: { url: string, token: string }, contender: Contender, size: number, label: string }} run
 */
async function measure({ n8n, sandbox, contender, size, label }) {
	const rssFile = path.join(n8n.userFolder, 'max-rss');
	fs.rmSync(rssFile, { force: true });
	const rssEnv = {
		NODE_OPTIONS: `--require ${path.join(__dirname, 'max-rss.js')}`,
		BENCH_RSS_FILE: rssFile,
	};
	if (contender.script) {
		const prefix = `${contender.key}-${label}-`;
		// Asynchronously: a process blocked while the client runs would miss the sandbox
		// closing an idle kept-alive connection, and its next control call would fail on it.
		const { stdout } = await promisify(execFile)(
			paths.nodeBin,
			[
				path.join(__dirname, contender.script),
				sandbox.url,
				sandbox.token,
				String(size),
				String(DEFAULT_CONCURRENCY),
				prefix,
			],
			{ env: { ...process.env, ...rssEnv }, encoding: 'utf8' },
		);
		return {
			ms: JSON.parse(stdout).ms,
			wallMs: 0,
			rss: Number(fs.readFileSync(rssFile, 'utf8')),
			userIds: Array.from({ length: size }, (_, index) => `${prefix}${index}`),
		};
	}
	const started = Date.now();
	const result = await n8n.execute(workflowId(contender, size), {
		env: rssEnv,
		timeoutMs: 1_200_000,
	});
	const wallMs = Date.now() - started;
	if (!result.ok)
		throw new Error(
			`${contender.key} at ${size} failed (n8n exited with ${result.output.code ?? result.output.signal}):\n` +
				`${result.output.stdout.slice(-3000)}\n${result.output.stderr.slice(-3000)}`,
		);
	const userIds = contender.key === 'N' ? [] : createdUserIds(result.run);
	if (contender.key !== 'N' && userIds.length !== size)
		throw new Error(`${contender.key} created ${userIds.length} items instead of ${size}`);
	return {
		ms: Date.parse(result.run.stoppedAt) - Date.parse(result.run.startedAt),
		wallMs,
		rss: Number(fs.readFileSync(rssFile, 'utf8')),
		userIds,
	};
}

/**
 * What one run of the benchmark measured.
 * @typedef {object} Measured
 * @property {Record<string, Measurements>} results
 * @property {number} cliStartupMs
 * @property {{ size: number, components: Array<{ component: string, ms: number }> }} profile
 * @property {number} totalSeconds
 * @property {boolean} quick
 * @property {number} reps
 * @property {string} date when it was measured, as YYYY-MM-DD
 */

/** @returns {Promise<Measured>} */
async function runBenchmark() {
	const benchStarted = Date.now();
	log(`Benchmark: ${REPS} rounds${QUICK ? ', quick' : ''}, on ${os.cpus().length} CPUs`);
	const n8n = N8n.create({ log, env: { N8N_CUSTOM_EXTENSIONS: path.join(__dirname, 'floor') } });
	// One port for every scenario's sandbox, so that the workflows are imported once.
	const port = await freePort();
	const sandboxUrl = `http://127.0.0.1:${port}`;
	/** @type {Record<string, Measurements>} */
	const results = {};
	let cliStartupMs = 0;
	/** @type {Awaited<ReturnType<typeof profileNode>> | undefined} */
	let profile;
	try {
		// A contender at the same size in two scenarios runs the same workflow.
		const workflows = new Map();
		for (const { size, contenders } of SCENARIOS)
			for (const each of contenders.map(contender))
				if (!each.script) {
					const id = workflowId(each, size);
					workflows.set(id, benchWorkflow(id, size, each.node?.(sandboxUrl)));
				}
		await n8n.importWorkflows([...workflows.values()]);

		for (const scenario of SCENARIOS) {
			const sandbox = await startSandboxProcess(scenario.sandbox, port);
			try {
				await control(sandbox.url, 'events', { companyId: COMPANY_ID, event: EVENT, amount: 1 });
				await n8n.importCredentials([
					{ ...CREDENTIALS.enkash, data: { baseUrl: sandbox.url, accessToken: sandbox.token } },
					{
						...CREDENTIALS.header,
						data: { name: 'Authorization', value: `Bearer ${sandbox.token}` },
					},
				]);
				let counts = await control(sandbox.url, 'state');
				const measured = scenario.contenders.map(contender);
				const { size } = scenario;
				for (let round = 0; round < (scenario.reps ?? REPS); round++) {
					// Alternate the order from round to round.
					const order = round % 2 === 0 ? measured : [...measured].reverse();
					for (const each of order) {
						const cpuBefore = cpuSeconds(/** @type {number} */ (sandbox.child.pid));
						const run = await measure({
							n8n,
							sandbox,
							contender: each,
							size,
							label: `${scenario.key}-${round}-${size}`,
						});
						const sandboxCpu = cpuSeconds(/** @type {number} */ (sandbox.child.pid)) - cpuBefore;
						const rateLimitedBefore = counts.rateLimited;
						counts = await verifyCredits(sandbox.url, each.dryRun ? [] : run.userIds, counts);
						if (each.key === 'N' && !cliStartupMs) cliStartupMs = run.wallMs - run.ms;
						const entry = (results[resultKey(scenario, each)] ??= {
							ms: [],
							rss: [],
							sandboxCpu: [],
							rateLimited: [],
						});
						entry.ms.push(run.ms);
						entry.rss.push(run.rss);
						entry.sandboxCpu.push(sandboxCpu);
						const throttled = counts.rateLimited - rateLimitedBefore;
						entry.rateLimited.push(throttled);
						log(
							`${scenario.key.padEnd(10)} round ${round + 1}  ${String(size).padStart(6)} items  ${each.key.padEnd(3)} ` +
								`${(run.ms / 1000).toFixed(2).padStart(7)} s  ${(run.rss / 2 ** 20).toFixed(0).padStart(5)} MB` +
								(throttled > 0 ? `  ${throttled} × 429` : ''),
						);
					}
				}
				if (scenario.profile) profile = await profileNode(n8n, sandbox.url, counts, size);
			} finally {
				await endProcess(sandbox.child);
			}
		}
		/** @type {Measured} */
		const measured = {
			results,
			cliStartupMs,
			// Every run has a profiled scenario: the quick one at 1,000, the full one at 10,000.
			profile: /** @type {Measured['profile']} */ (profile),
			totalSeconds: (Date.now() - benchStarted) / 1000,
			quick: QUICK,
			reps: REPS,
			date: new Date().toISOString().slice(0, 10),
		};
		fs.writeFileSync(MEASUREMENTS, JSON.stringify(measured));
		return measured;
	} finally {
		await n8n.dispose();
	}
}

/**
 * One more run of A under V8's CPU profiler, summarised by component: where
 * the node's time goes.
 * @param {N8n} n8n @param {string} sandboxUrl @param {{ allocations: number }} before @param {number} size
 */
async function profileNode(n8n, sandboxUrl, before, size) {
	const directory = path.join(n8n.userFolder, 'cpu-profile');
	const result = await n8n.execute(workflowId(contender('A'), size), {
		env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${directory}` },
	});
	if (!result.ok) throw new Error(`The profiled run failed:\n${result.output.stdout.slice(-3000)}`);
	await verifyCredits(sandboxUrl, createdUserIds(result.run), before);
	const largest = fs
		.readdirSync(directory)
		.map((file) => path.join(directory, file))
		.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
	return { size, components: summariseProfile(largest) };
}

module.exports = { runBenchmark };
