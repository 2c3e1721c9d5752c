// @ts-check
/**
 * `npm run bench`: bulk allocation measured in the pinned real n8n against the
 * sandbox, for the Enkash Coins node (A), n8n's HTTP Request node (B), a plain
 * Node.js client (C), and a workflow that only creates the items (N). Contenders
 * alternate, each size is repeated, balances are checked after every run, and
 * the results go to BENCHMARKS.md.
 *
 * BENCH_SIZES=1000,10000 and BENCH_REPS=3 are the defaults.
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const { N8n } = require('../dev/n8n');
const { paths } = require('../dev/runtime');
const { summariseProfile } = require('./profile-summary');
const {
	COMPANY_ID,
	CREDENTIALS,
	EVENT,
	benchWorkflow,
	enkashNode,
	httpRequestNode,
} = require('./workflows');

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const BEST_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const DEFAULT_CONCURRENCY = 5;
const OUTPUT = path.join(paths.repoRoot, 'BENCHMARKS.md');

/**
 * @typedef {object} Contender
 * @property {string} key
 * @property {string} label
 * @property {'n8n' | 'raw'} kind
 * @property {(sandboxUrl: string) => { name: string } | undefined} [node]
 * @property {number} [concurrency]
 */

/** @type {Contender[]} */
const CONTENDERS = [
	{ key: 'N', label: 'N: n8n only creating the items', kind: 'n8n', node: () => undefined },
	{ key: 'A', label: 'A: Enkash Coins node, defaults', kind: 'n8n', node: () => enkashNode(0) },
	{
		key: 'A*',
		label: `A*: Enkash Coins node, Max Concurrent Requests ${BEST_CONCURRENCY}`,
		kind: 'n8n',
		node: () => enkashNode(BEST_CONCURRENCY),
	},
	{
		key: 'B',
		label: 'B: HTTP Request node 4.5, defaults',
		kind: 'n8n',
		node: (url) => httpRequestNode(url, 0),
	},
	{
		key: 'B*',
		label: `B*: HTTP Request node 4.5, batches of ${DEFAULT_CONCURRENCY}`,
		kind: 'n8n',
		node: (url) => httpRequestNode(url, DEFAULT_CONCURRENCY),
	},
	{
		key: 'C',
		label: `C: plain Node.js client, keep-alive, ${DEFAULT_CONCURRENCY} in flight`,
		kind: 'raw',
		concurrency: DEFAULT_CONCURRENCY,
	},
];

// For profiling one contender at a time, e.g. BENCH_ONLY=N,A,C; the report needs all of them.
const ONLY = process.env.BENCH_ONLY?.split(',');
const MEASURED = ONLY ? CONTENDERS.filter(({ key }) => ONLY.includes(key)) : CONTENDERS;

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** Starts the sandbox in its own process; resolves with its URL, a token and the process. */
function startSandboxProcess() {
	const child = spawn(paths.nodeBin, [path.join(__dirname, 'sandbox-process.js')], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
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
 * Checks that each of these users was credited exactly once in this run.
 * @param {string} url @param {string[]} userIds @param {number} allocationsBefore
 */
async function verifyCredits(url, userIds, allocationsBefore) {
	const state = await control(url, 'state');
	const wrong = userIds.filter((userId) => state.balances[userId] !== 1);
	const newAllocations = state.allocations - allocationsBefore;
	if (wrong.length > 0 || newAllocations !== userIds.length) {
		throw new Error(
			`Wrong balances after the run: ${wrong.length} users not credited exactly once, ${newAllocations} allocations for ${userIds.length} users`,
		);
	}
	return state.allocations;
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

async function main() {
	const benchStarted = Date.now();
	log(`Benchmark: sizes ${SIZES.join(', ')}, ${REPS} rounds, on ${os.cpus().length} CPUs`);
	const sandbox = await startSandboxProcess();
	const n8n = N8n.create({ log });
	try {
		await control(sandbox.url, 'events', { companyId: COMPANY_ID, event: EVENT, amount: 1 });
		await n8n.importCredentials([
			{ ...CREDENTIALS.enkash, data: { baseUrl: sandbox.url, accessToken: sandbox.token } },
			{ ...CREDENTIALS.header, data: { name: 'Authorization', value: `Bearer ${sandbox.token}` } },
		]);
		for (const size of SIZES) {
			for (const contender of MEASURED.filter(({ kind }) => kind === 'n8n')) {
				await n8n.importWorkflow(
					benchWorkflow(workflowId(contender, size), size, contender.node?.(sandbox.url)),
				);
			}
		}

		const rssFile = path.join(n8n.userFolder, 'max-rss');
		const nodeOptions = `--require ${path.join(__dirname, 'max-rss.js')}`;
		/** @type {Record<string, { ms: number[], rss: number[], sandboxCpu: number[] }>} */
		const results = {};
		let allocations = (await control(sandbox.url, 'state')).allocations;
		let cliStartupMs = 0;

		for (let round = 0; round < REPS; round++) {
			for (const size of SIZES) {
				// Alternate the order from round to round.
				const order = round % 2 === 0 ? MEASURED : [...MEASURED].reverse();
				for (const contender of order) {
					const cpuBefore = cpuSeconds(sandbox.child.pid);
					let ms;
					let rss;
					let userIds;
					if (contender.kind === 'raw') {
						const prefix = `C${round}-${size}-`;
						const script = path.join(__dirname, 'raw-client.js');
						fs.rmSync(rssFile, { force: true });
						const output = execFileSync(
							paths.nodeBin,
							[
								script,
								sandbox.url,
								sandbox.token,
								String(size),
								String(contender.concurrency),
								prefix,
							],
							{
								env: { ...process.env, NODE_OPTIONS: nodeOptions, BENCH_RSS_FILE: rssFile },
								encoding: 'utf8',
							},
						);
						ms = JSON.parse(output).ms;
						rss = Number(fs.readFileSync(rssFile, 'utf8'));
						userIds = Array.from({ length: size }, (_, index) => `${prefix}${index}`);
					} else {
						fs.rmSync(rssFile, { force: true });
						const started = Date.now();
						const result = await n8n.execute(workflowId(contender, size), {
							NODE_OPTIONS: nodeOptions,
							BENCH_RSS_FILE: rssFile,
						});
						const wallMs = Date.now() - started;
						if (!result.ok)
							throw new Error(
								`${contender.key} at ${size} failed (n8n exited with ${result.output.code}):\n${result.output.stdout.slice(0, 3000)}\n${result.output.stderr.slice(-3000)}`,
							);
						ms = Date.parse(result.run.stoppedAt) - Date.parse(result.run.startedAt);
						if (contender.key === 'N' && size === SIZES[0] && round === 0)
							cliStartupMs = wallMs - ms;
						rss = Number(fs.readFileSync(rssFile, 'utf8'));
						userIds = contender.key === 'N' ? [] : createdUserIds(result.run);
						if (contender.key !== 'N' && userIds.length !== size)
							throw new Error(
								`${contender.key} created ${userIds.length} items instead of ${size}`,
							);
					}
					const sandboxCpu = cpuSeconds(sandbox.child.pid) - cpuBefore;
					allocations = await verifyCredits(sandbox.url, userIds, allocations);
					const entry = (results[`${contender.key}@${size}`] ??= {
						ms: [],
						rss: [],
						sandboxCpu: [],
					});
					entry.ms.push(ms);
					entry.rss.push(rss);
					entry.sandboxCpu.push(sandboxCpu);
					log(
						`round ${round + 1}/${REPS}  ${String(size).padStart(6)} items  ${contender.key.padEnd(3)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${(rss / 2 ** 20).toFixed(0).padStart(5)} MB`,
					);
				}
			}
		}

		if (ONLY) return;
		const profile = await profileNode(n8n, sandbox.url, allocations);
		fs.writeFileSync(
			OUTPUT,
			report(results, cliStartupMs, profile, (Date.now() - benchStarted) / 1000),
		);
		log(`\nWrote ${path.relative(process.cwd(), OUTPUT)}`);
		process.stdout.write(fs.readFileSync(OUTPUT, 'utf8'));
	} finally {
		await n8n.dispose();
		sandbox.child.kill('SIGTERM');
	}
}

/**
 * One more run of A at the largest size under V8's CPU profiler, summarised by
 * component: where the node's time goes.
 * @param {N8n} n8n @param {string} sandboxUrl @param {number} allocationsBefore
 */
async function profileNode(n8n, sandboxUrl, allocationsBefore) {
	const size = Math.max(...SIZES);
	const directory = path.join(n8n.userFolder, 'cpu-profile');
	const result = await n8n.execute(
		workflowId(/** @type {Contender} */ (CONTENDERS.find(({ key }) => key === 'A')), size),
		{ NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${directory}` },
	);
	if (!result.ok) throw new Error(`The profiled run failed:\n${result.output.stdout.slice(-3000)}`);
	await verifyCredits(sandboxUrl, createdUserIds(result.run), allocationsBefore);
	const largest = fs
		.readdirSync(directory)
		.map((file) => path.join(directory, file))
		.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
	return { size, components: summariseProfile(largest) };
}

/** @param {Contender} contender @param {number} size */
function workflowId(contender, size) {
	return `Bench${contender.key.replace('*', 'Best')}${size}`.padEnd(16, 'x').slice(0, 21);
}

/**
 * @param {Record<string, { ms: number[], rss: number[], sandboxCpu: number[] }>} results
 * @param {number} cliStartupMs
 * @param {{ size: number, components: Array<{ component: string, ms: number }> }} profile
 * @param {number} totalSeconds
 */
function report(results, cliStartupMs, profile, totalSeconds) {
	const packageVersion = JSON.parse(
		fs.readFileSync(path.join(paths.repoRoot, 'package.json'), 'utf8'),
	).version;
	const n8nVersion = JSON.parse(
		fs.readFileSync(path.join(paths.runtimeDir, 'node_modules/n8n/package.json'), 'utf8'),
	).version;
	const lines = [
		'# Benchmarks',
		'',
		`Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB,`,
		`n8n ${n8nVersion} on Node ${execFileSync(paths.nodeBin, ['--version'], { encoding: 'utf8' }).trim()}, n8n-nodes-enkash-coins ${packageVersion}, the sandbox on loopback in its own process.`,
		`Medians of ${REPS} alternating rounds, with min and max. n8n contenders are timed by the execution as n8n records it (start to stop);`,
		`the CLI start-up around it (about ${(cliStartupMs / 1000).toFixed(1)} s) is not included. Peak memory is the RSS high-water mark of the measuring process`,
		'(the n8n process, or the plain client). Every run credits distinct users, and every balance is checked afterwards.',
		'',
	];
	for (const size of SIZES) {
		lines.push(
			`## ${size.toLocaleString('en')} allocations`,
			'',
			'| contender | time (s) | items/s | peak RSS (MB) | sandbox CPU (s) |',
			'|---|---|---|---|---|',
		);
		for (const contender of CONTENDERS) {
			const entry = results[`${contender.key}@${size}`];
			const time = stats(entry.ms);
			const rss = stats(entry.rss);
			const rate =
				contender.key === 'N'
					? '–'
					: `${Math.round(size / (time.median / 1000)).toLocaleString('en')}`;
			lines.push(
				`| ${contender.label} | ${(time.median / 1000).toFixed(2)} (${(time.min / 1000).toFixed(2)}–${(time.max / 1000).toFixed(2)}) | ${rate} | ${(rss.median / 2 ** 20).toFixed(0)} (${(rss.min / 2 ** 20).toFixed(0)}–${(rss.max / 2 ** 20).toFixed(0)}) | ${stats(entry.sandboxCpu).median.toFixed(2)} |`,
			);
		}
		const median = (/** @type {string} */ key) => stats(results[`${key}@${size}`].ms).median;
		const rssMedian = (/** @type {string} */ key) => stats(results[`${key}@${size}`].rss).median;
		lines.push(
			'',
			`- Throughput A / B: ${(median('B') / median('A')).toFixed(2)} (target ≥ 1); A* / B*: ${(median('B*') / median('A*')).toFixed(2)}`,
			`- Time A / C: ${(median('A') / median('C')).toFixed(2)}; A* / C: ${(median('A*') / median('C')).toFixed(2)}${size >= 10000 ? ' (target ≤ 1.5 at 10,000)' : ''}`,
			`- Peak memory A / B: ${(rssMedian('A') / rssMedian('B')).toFixed(2)} (target ≤ 1)`,
			'',
		);
	}
	const profiled = profile.components.reduce((sum, { ms }) => sum + ms, 0);
	lines.push(
		`## Where A's time goes (${profile.size.toLocaleString('en')} allocations, V8 CPU profile of the n8n process)`,
		'',
		'Self time by component, from the first to the last moment the node’s own code runs (the profiler adds some overhead).',
		'',
		'| component | CPU (s) | share |',
		'|---|---|---|',
		...profile.components.map(
			({ component, ms }) =>
				`| ${component} | ${(ms / 1000).toFixed(2)} | ${Math.round((ms / profiled) * 100)} % |`,
		),
		'',
		`The whole benchmark took ${Math.round(totalSeconds)} s.`,
		'',
	);
	return lines.join('\n');
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
