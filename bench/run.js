// @ts-check
/**
 * `npm run bench`: bulk allocation measured in the pinned real n8n against the
 * sandbox, in scenarios from an API that answers at once to one that answers
 * after 100 ms or throttles. Contenders: the Enkash Coins node (A), a floor
 * node that only sends the requests through n8n's helper (F), n8n's HTTP
 * Request node (B), a plain Node.js client (C), and a workflow that only
 * creates the items (N). Contenders alternate, each size is repeated, balances
 * are checked after every run, and the results go to BENCHMARKS.md.
 *
 * BENCH_QUICK=1 runs every scenario once at small sizes, for development;
 * BENCH_REPS overrides the number of rounds (3, or 1 when quick). The
 * measurements are kept in .e2e-runtime/bench-results.json, and
 * BENCH_REPORT_ONLY=1 writes BENCHMARKS.md again from them without measuring.
 */
const { execFile, execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const { N8n, endProcess, freePort } = require('../dev/n8n');
const { paths } = require('../dev/runtime');
const { summariseProfile } = require('./profile-summary');
const {
	COMPANY_ID,
	CREDENTIALS,
	EVENT,
	benchWorkflow,
	enkashNode,
	floorNode,
	httpRequestNode,
} = require('./workflows');

const MEASUREMENTS = path.join(paths.repoRoot, '.e2e-runtime', 'bench-results.json');
/** With BENCH_REPORT_ONLY=1: what an earlier run measured, to report again. */
const EARLIER =
	process.env.BENCH_REPORT_ONLY === '1'
		? /** @type {Measured} */ (JSON.parse(fs.readFileSync(MEASUREMENTS, 'utf8')))
		: undefined;
const QUICK = EARLIER?.quick ?? process.env.BENCH_QUICK === '1';
const REPS = Number(process.env.BENCH_REPS ?? (QUICK ? 1 : 3));
/** The node's default Max Concurrent Requests. */
const DEFAULT_CONCURRENCY = 5;
const OUTPUT = path.join(paths.repoRoot, 'BENCHMARKS.md');

/**
 * @typedef {object} Contender
 * @property {string} key
 * @property {string} label
 * @property {'n8n' | 'raw'} kind
 * @property {(sandboxUrl: string) => { name: string } | undefined} [node]
 * @property {number} [concurrency] requests in flight, for a client outside n8n
 * @property {string} [script] for a client outside n8n: its file in bench/
 */

/** @type {Contender[]} */
const CONTENDERS = [
	{ key: 'N', label: 'N: n8n only creating the items', kind: 'n8n', node: () => undefined },
	{ key: 'A', label: 'A: Enkash Coins node, defaults', kind: 'n8n', node: () => enkashNode(0) },
	{
		key: 'A20',
		label: 'A20: Enkash Coins node, Max Concurrent Requests 20',
		kind: 'n8n',
		node: () => enkashNode(20),
	},
	...[DEFAULT_CONCURRENCY, 20].map((inFlight) => ({
		key: inFlight === DEFAULT_CONCURRENCY ? 'F' : `F${inFlight}`,
		label: `F${inFlight === DEFAULT_CONCURRENCY ? '' : inFlight}: floor node, only n8n's request helper, ${inFlight} in flight`,
		kind: /** @type {const} */ ('n8n'),
		node: () => floorNode(inFlight),
	})),
	{
		key: 'B',
		label: 'B: HTTP Request node 4.5, defaults',
		kind: 'n8n',
		node: (url) => httpRequestNode(url, 0),
	},
	{
		key: 'B5',
		label: `B5: HTTP Request node 4.5, batches of ${DEFAULT_CONCURRENCY}`,
		kind: 'n8n',
		node: (url) => httpRequestNode(url, DEFAULT_CONCURRENCY),
	},
	...[DEFAULT_CONCURRENCY, 20].flatMap((inFlight) => {
		const suffix = inFlight === DEFAULT_CONCURRENCY ? '' : String(inFlight);
		const raw = /** @type {const} */ ('raw');
		return [
			{
				key: `H${suffix}`,
				label: `H${suffix}: n8n's HTTP client alone, outside n8n, ${inFlight} in flight`,
				kind: raw,
				concurrency: inFlight,
				script: 'helper-client.js',
			},
			{
				key: `C${suffix}`,
				label: `C${suffix}: plain Node.js client, keep-alive, ${inFlight} in flight`,
				kind: raw,
				concurrency: inFlight,
				script: 'raw-client.js',
			},
		];
	}),
];

/**
 * A comparison the report states under a scenario's table: `numerator` time
 * over `denominator` time, and its target if it has one.
 * @typedef {{ numerator: string, denominator: string, target?: string, atSize?: number }} Ratio
 */

/**
 * @typedef {object} Scenario
 * @property {string} key
 * @property {string} title
 * @property {{ latencyMs?: number, rateLimit?: { perSecond: number } }} sandbox
 * @property {number[]} sizes
 * @property {string[]} contenders keys of CONTENDERS
 * @property {Ratio[]} ratios
 * @property {number} [reps] rounds, when fewer than REPS
 * @property {boolean} [profile] profile A at this scenario's largest size
 * @property {Array<{ inFlight: number, keys: string[] }>} [perRequest] contenders holding the same number of requests in flight, compared per request
 */

const RATE_LIMIT = 50;

/** @type {Scenario[]} */
const SCENARIOS = [
	{
		key: 'instant',
		title: 'An API that answers at once',
		sandbox: {},
		sizes: [1000],
		contenders: ['N', 'A', 'F', 'B', 'B5', 'C'],
		ratios: [
			{ numerator: 'A', denominator: 'F' },
			{ numerator: 'B', denominator: 'A', target: '≥ 1' },
			{ numerator: 'B5', denominator: 'A' },
			{ numerator: 'A', denominator: 'C' },
		],
		profile: QUICK,
	},
	// B5 is left out at 10,000: like B, it takes a minute a run there.
	{
		key: 'instant10k',
		title: 'An API that answers at once',
		sandbox: {},
		sizes: QUICK ? [] : [10000],
		contenders: ['N', 'A', 'F', 'B', 'C'],
		ratios: [
			{ numerator: 'A', denominator: 'F', target: '≤ 1.1' },
			{ numerator: 'B', denominator: 'A', target: '≥ 1' },
			{ numerator: 'A', denominator: 'C' },
			{ numerator: 'F', denominator: 'C' },
		],
		profile: true,
	},
	...[25, 100].map((latencyMs) => ({
		key: `latency${latencyMs}`,
		title: `An API that answers after ${latencyMs} ms`,
		sandbox: { latencyMs },
		sizes: [QUICK ? 200 : latencyMs >= 100 ? 400 : 1000],
		contenders: ['A', 'A20', 'F', 'F20', 'B', 'H', 'H20', 'C', 'C20'],
		ratios: [
			{ numerator: 'B', denominator: 'A', target: '≥ 2' },
			{ numerator: 'A', denominator: 'C', target: '≤ 1.1' },
			{ numerator: 'A20', denominator: 'C20', target: '≤ 1.1' },
			{ numerator: 'A', denominator: 'F' },
			{ numerator: 'F', denominator: 'H' },
			{ numerator: 'H', denominator: 'C' },
			{ numerator: 'A20', denominator: 'F20' },
			{ numerator: 'F20', denominator: 'H20' },
			{ numerator: 'H20', denominator: 'C20' },
		],
		perRequest: [
			{ inFlight: DEFAULT_CONCURRENCY, keys: ['A', 'F', 'H', 'C'] },
			{ inFlight: 20, keys: ['A20', 'F20', 'H20', 'C20'] },
		],
	})),
	{
		key: 'rateLimit',
		title: `An API that allows ${RATE_LIMIT} requests a second and answers after 25 ms`,
		sandbox: { latencyMs: 25, rateLimit: { perSecond: RATE_LIMIT } },
		sizes: [QUICK ? 500 : 2000],
		contenders: ['A', 'A20'],
		ratios: [],
		reps: 1,
	},
];

const byKey = new Map(CONTENDERS.map((contender) => [contender.key, contender]));
/** @param {string} key */
const contender = (key) => /** @type {Contender} */ (byKey.get(key));

// For profiling some contenders, e.g. BENCH_ONLY=N,A,C; the report needs all of them.
const ONLY = process.env.BENCH_ONLY?.split(',');
/** @param {Scenario} scenario */
const measuredIn = (scenario) =>
	scenario.contenders.filter((key) => !ONLY || ONLY.includes(key)).map(contender);

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

/**
 * Runs a client outside n8n to its end. Asynchronously: a process blocked
 * while it runs would miss the sandbox closing an idle kept-alive connection,
 * and its next control call would fail on it.
 * @param {string[]} args @param {NodeJS.ProcessEnv} env @returns {Promise<string>} its output
 */
function runClientProcess(args, env) {
	return new Promise((resolve, reject) =>
		execFile(paths.nodeBin, args, { env, encoding: 'utf8' }, (error, stdout) =>
			error ? reject(error) : resolve(stdout),
		),
	);
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
	return run.data.resultData.runData['One Item Per User'][0].data.main[0].map(
		(/** @type {any} */ item) => item.json.userId,
	);
}

/** @param {number[]} values */
function stats(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return {
		median: sorted[Math.floor(sorted.length / 2)],
		min: sorted[0],
		max: sorted[sorted.length - 1],
	};
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
	if (contender.kind === 'raw') {
		const prefix = `${contender.key}-${label}-`;
		const output = await runClientProcess(
			[
				path.join(__dirname, /** @type {string} */ (contender.script)),
				sandbox.url,
				sandbox.token,
				String(size),
				String(contender.concurrency),
				prefix,
			],
			{ ...process.env, ...rssEnv },
		);
		return {
			ms: JSON.parse(output).ms,
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
			`${contender.key} at ${size} failed (n8n exited with ${result.output.code ?? result.output.signal}):\n${result.output.stdout.slice(-3000)}\n${result.output.stderr.slice(-3000)}`,
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

async function main() {
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
		const workflows = new Map();
		for (const scenario of SCENARIOS)
			for (const size of scenario.sizes)
				for (const { kind, key } of measuredIn(scenario))
					if (kind === 'n8n') workflows.set(workflowId(contender(key), size), [key, size]);
		await n8n.importWorkflows(
			[...workflows].map(([id, [key, size]]) =>
				benchWorkflow(id, size, contender(key).node?.(sandboxUrl)),
			),
		);

		for (const scenario of SCENARIOS.filter(({ sizes }) => sizes.length > 0)) {
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
				const measured = measuredIn(scenario);
				for (let round = 0; round < (scenario.reps ?? REPS); round++) {
					for (const size of scenario.sizes) {
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
							counts = await verifyCredits(sandbox.url, run.userIds, counts);
							if (each.key === 'N' && !cliStartupMs) cliStartupMs = run.wallMs - run.ms;
							const entry = (results[resultKey(scenario, each, size)] ??= {
								ms: [],
								rss: [],
								sandboxCpu: [],
								rateLimited: [],
							});
							entry.ms.push(run.ms);
							entry.rss.push(run.rss);
							entry.sandboxCpu.push(sandboxCpu);
							entry.rateLimited.push(counts.rateLimited - rateLimitedBefore);
							log(
								`${scenario.key.padEnd(10)} round ${round + 1}  ${String(size).padStart(6)} items  ${each.key.padEnd(3)} ${(run.ms / 1000).toFixed(2).padStart(7)} s  ${(run.rss / 2 ** 20).toFixed(0).padStart(5)} MB${counts.rateLimited > rateLimitedBefore ? `  ${counts.rateLimited - rateLimitedBefore} × 429` : ''}`,
							);
						}
					}
				}
				if (scenario.profile && !ONLY)
					profile = await profileNode(n8n, sandbox.url, counts, Math.max(...scenario.sizes));
			} finally {
				await endProcess(sandbox.child);
			}
		}
		if (ONLY || !profile) return;
		/** @type {Measured} */
		const measured = {
			results,
			cliStartupMs,
			profile,
			totalSeconds: (Date.now() - benchStarted) / 1000,
			quick: QUICK,
			reps: REPS,
			date: new Date().toISOString().slice(0, 10),
		};
		fs.writeFileSync(MEASUREMENTS, JSON.stringify(measured));
		writeReport(measured);
	} finally {
		await n8n.dispose();
	}
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

/** @param {Measured} measured */
function writeReport(measured) {
	fs.writeFileSync(OUTPUT, report(measured));
	log(`\nWrote ${path.relative(process.cwd(), OUTPUT)}`);
	process.stdout.write(fs.readFileSync(OUTPUT, 'utf8'));
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

/** @param {Contender} each @param {number} size */
function workflowId(each, size) {
	return `Bench${each.key}x${size}`.padEnd(16, 'x').slice(0, 21);
}

/** @param {Scenario} scenario @param {Contender} each @param {number} size */
function resultKey(scenario, each, size) {
	return `${scenario.key}/${each.key}@${size}`;
}

const seconds = (/** @type {number} */ ms) => (ms / 1000).toFixed(2);
const megabytes = (/** @type {number} */ bytes) => (bytes / 2 ** 20).toFixed(0);

/** @param {Measured} measured */
function report({ results, cliStartupMs, profile, totalSeconds, quick, reps, date }) {
	const packageVersion = JSON.parse(
		fs.readFileSync(path.join(paths.repoRoot, 'package.json'), 'utf8'),
	).version;
	/** @param {Scenario} scenario @param {number} size */
	const entriesOf = (scenario, size) => (/** @type {string} */ key) =>
		/** @type {Measurements} */ (results[resultKey(scenario, contender(key), size)]);
	const lines = [
		'# Benchmarks',
		'',
		`Written by \`npm run bench\`${quick ? ' (quick mode: one round, small sizes)' : ''} on ${date}: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB,`,
		`n8n ${paths.n8nVersion} on Node ${execFileSync(paths.nodeBin, ['--version'], { encoding: 'utf8' }).trim()}, n8n-nodes-enkash-coins ${packageVersion}, the sandbox on loopback in its own process.`,
		`Medians of ${reps} alternating rounds, with min and max. n8n contenders are timed by the execution as n8n records it (start to stop);`,
		`the CLI start-up around it (about ${seconds(cliStartupMs).slice(0, -1)} s) is not included. Peak memory is the RSS high-water mark of the measuring process`,
		'(the n8n process, or the client). Every run credits distinct users, and every balance is checked afterwards.',
		'',
	];
	for (const scenario of SCENARIOS) {
		const limited = scenario.sandbox.rateLimit;
		for (const size of scenario.sizes) {
			const rounds = scenario.reps ?? reps;
			lines.push(
				`## ${scenario.title}: ${size.toLocaleString('en')} allocations${rounds !== reps ? ` (${rounds} round${rounds > 1 ? 's' : ''})` : ''}`,
				'',
				`| contender | time (s) | items/s | peak RSS (MB) | sandbox CPU (s) |${limited ? ' answered 429 |' : ''}`,
				`|---|---|---|---|---|${limited ? '---|' : ''}`,
			);
			const entryOf = entriesOf(scenario, size);
			for (const key of scenario.contenders) {
				const entry = entryOf(key);
				const time = stats(entry.ms);
				const rss = stats(entry.rss);
				const rate =
					key === 'N' ? '–' : Math.round(size / (time.median / 1000)).toLocaleString('en');
				lines.push(
					`| ${contender(key).label} | ${seconds(time.median)} (${seconds(time.min)}–${seconds(time.max)}) | ${rate} | ${megabytes(rss.median)} (${megabytes(rss.min)}–${megabytes(rss.max)}) | ${stats(entry.sandboxCpu).median.toFixed(2)} |${limited ? ` ${stats(entry.rateLimited).median} (${throttledShare(entry, size).toFixed(1)} % of requests) |` : ''}`,
				);
			}
			lines.push('');
			const median = (/** @type {string} */ key) => stats(entryOf(key).ms).median;
			for (const { numerator, denominator, target, atSize } of scenario.ratios) {
				const applies = target && (atSize === undefined || atSize === size);
				lines.push(
					`- Time ${numerator} / ${denominator}: ${(median(numerator) / median(denominator)).toFixed(2)}${applies ? ` (target ${target})` : ''}`,
				);
			}
			for (const { inFlight, keys } of scenario.perRequest ?? []) {
				const perRequest = keys.map(
					(key) => `${key} ${((median(key) * inFlight) / size).toFixed(1)} ms`,
				);
				lines.push(
					`- Time per request, ${inFlight} in flight: ${perRequest.join(', ')} (the API answers in ${scenario.sandbox.latencyMs} ms)`,
				);
			}
			if (scenario.sandbox.latencyMs === undefined && !limited) {
				const rssMedian = (/** @type {string} */ key) => stats(entryOf(key).rss).median;
				lines.push(
					`- Peak memory A / B: ${(rssMedian('A') / rssMedian('B')).toFixed(2)} (target ≤ 1); A above N: ${((rssMedian('A') - rssMedian('N')) / size / 1024).toFixed(1)} kB per item, F above N: ${((rssMedian('F') - rssMedian('N')) / size / 1024).toFixed(1)} kB, B above N: ${((rssMedian('B') - rssMedian('N')) / size / 1024).toFixed(1)} kB`,
				);
			}
			if (limited) {
				for (const key of scenario.contenders)
					lines.push(
						`- ${key}: ${Math.round((size / (median(key) / 1000) / limited.perSecond) * 100)} % of the limit (target ≥ 90 %), ${throttledShare(entryOf(key), size).toFixed(1)} % of requests answered 429 (target < ${THROTTLED_TARGET_PERCENT} %)`,
					);
				lines.push(
					`- ${size.toLocaleString('en')} allocations, not 10,000: at ${limited.perSecond} a second, 10,000 take over 3 minutes a contender, beyond the benchmark's 20 minutes. The first second, before Enkash's first 429 sets the pace, weighs more in the share of 429s here than in a longer run.`,
				);
			}
			lines.push('');
		}
	}
	lines.push(...limitsOf(entriesOf), '');
	const profiled = profile.components.reduce((sum, { ms }) => sum + ms, 0);
	lines.push(
		`## Where A's time goes (${profile.size.toLocaleString('en')} allocations at once, V8 CPU profile of the n8n process)`,
		'',
		'Self time by component, from the first to the last moment the node’s own code runs (the profiler adds some overhead).',
		'',
		'| component | CPU (s) | share |',
		'|---|---|---|',
		...profile.components.map(
			({ component, ms }) =>
				`| ${component} | ${seconds(ms)} | ${Math.round((ms / profiled) * 100)} % |`,
		),
		'',
		`The whole benchmark took ${Math.round(totalSeconds)} s.`,
		'',
	);
	return lines.join('\n');
}

/** The share of 429s the node may draw under a rate limit, in %. */
const THROTTLED_TARGET_PERCENT = 2;

/** Of the requests a run sent, the share answered 429, in % (medians). @param {Measurements} entry @param {number} size */
function throttledShare(entry, size) {
	const throttled = stats(entry.rateLimited).median;
	return (throttled / (size + throttled)) * 100;
}

/**
 * What limits the targets the node cannot reach, in the figures just measured.
 * @param {(scenario: Scenario, size: number) => (key: string) => Measurements} entriesOf
 */
function limitsOf(entriesOf) {
	const scenario = (/** @type {string} */ key) =>
		/** @type {Scenario} */ (SCENARIOS.find((each) => each.key === key));
	const latency = scenario('latency25');
	const rate = scenario('rateLimit');
	if (latency.sizes.length === 0 || rate.sizes.length === 0) return [];
	const [size] = latency.sizes;
	const at25 = entriesOf(latency, size);
	const median = (/** @type {string} */ key) => stats(at25(key).ms).median;
	const perRequest = (/** @type {string} */ key, /** @type {number} */ inFlight) =>
		((median(key) * inFlight) / size).toFixed(1);
	const [rateSize] = rate.sizes;
	const limited = entriesOf(rate, rateSize);
	const overThrottled = rate.contenders.filter(
		(key) => throttledShare(limited(key), rateSize) >= THROTTLED_TARGET_PERCENT,
	);
	return [
		'## What limits the targets that are missed',
		'',
		`- **The node at its defaults against the HTTP Request node at its defaults, with latency.** The node keeps at most ${DEFAULT_CONCURRENCY} requests in flight unless *Max Concurrent Requests* says more: that default is part of the node's contract (saved workflows keep the defaults they were built with), while the HTTP Request node sends every item's request at once. With *Max Concurrent Requests* 20, the node takes ${seconds(median('A20'))} s for what the HTTP Request node does in ${seconds(median('B'))} s at 25 ms (${(median('B') / median('A20')).toFixed(2)} times faster).`,
		`- **The node against a plain client with the same requests in flight.** At 25 ms and ${DEFAULT_CONCURRENCY} in flight, a request takes ${perRequest('A', DEFAULT_CONCURRENCY)} ms in the node, ${perRequest('F', DEFAULT_CONCURRENCY)} ms in the floor node that only calls n8n's helper, ${perRequest('H', DEFAULT_CONCURRENCY)} ms through n8n's HTTP client alone outside n8n, and ${perRequest('C', DEFAULT_CONCURRENCY)} ms in the plain keep-alive client. A − F is the node's own work; F − H is n8n's execution around its helper (the engine, its garbage collection, one event loop for everything); H − C is n8n's HTTP client, which opens a new connection per request and takes no agent from a node. At 20 in flight the same split is A20 ${perRequest('A20', 20)}, F20 ${perRequest('F20', 20)}, H20 ${perRequest('H20', 20)}, C20 ${perRequest('C20', 20)} ms: n8n's share grows with its CPU load. A verified community node cannot bring its own HTTP client (\`node:http\` is banned by n8n's lint and scanner), so the floor node is the best a node can do.`,
		...(overThrottled.length > 0
			? [
					`- **Under a rate limit: the share answered 429** (${overThrottled.map((key) => `${key} ${throttledShare(limited(key), rateSize).toFixed(1)} %`).join(', ')}). The node learns the pace from Enkash's 429s: until the first one it sends as fast as the requests in flight allow, and that first second spends the limiter's burst and draws 429s; afterwards it paces just under what Enkash accepted and probes upwards by 2 % a second. In a run of ${rateSize.toLocaleString('en')} allocations the first second weighs more than in one of 10,000.`,
				]
			: []),
	];
}

(EARLIER ? Promise.resolve().then(() => writeReport(EARLIER)) : main()).catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
