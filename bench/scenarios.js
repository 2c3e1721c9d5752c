// @ts-check
/**
 * What the benchmark measures: its settings (BENCH_QUICK, BENCH_REPORT_ONLY),
 * the contenders and the scenarios they run in, and the names of their
 * workflows and results.
 */
const fs = require('node:fs');
const path = require('node:path');

const { paths } = require('../dev/runtime');
const { enkashNode, floorNode, httpRequestNode } = require('./workflows');

const MEASUREMENTS = path.join(paths.runtimesDir, 'bench-results.json');
/** With BENCH_REPORT_ONLY=1: what an earlier run measured, to report again. */
const EARLIER =
	process.env.BENCH_REPORT_ONLY === '1'
		? /** @type {import('./runner').Measured} */ (JSON.parse(fs.readFileSync(MEASUREMENTS, 'utf8')))
		: undefined;
const QUICK = EARLIER?.quick ?? process.env.BENCH_QUICK === '1';
const REPS = QUICK ? 1 : 3;
/** The node's default Max Concurrent Requests. */
const DEFAULT_CONCURRENCY = 20;

/**
 * @typedef {object} Contender
 * @property {string} key
 * @property {string} label
 * @property {(sandboxUrl: string) => { name: string } | undefined} [node] in n8n: its allocating node
 * @property {string} [script] outside n8n: its client in bench/, DEFAULT_CONCURRENCY in flight
 * @property {boolean} [dryRun] its runs send nothing: no user is credited
 */

/** @type {Contender[]} */
const CONTENDERS = [
	{ key: 'N', label: 'N: n8n only creating the items', node: () => undefined },
	{ key: 'A', label: 'A: Enkash Coins node, defaults', node: () => enkashNode(0) },
	{
		key: 'D',
		label: 'D: Enkash Coins node, Dry Run',
		node: () => enkashNode(0, { dryRun: true }),
		dryRun: true,
	},
	{
		key: 'A5',
		label: 'A5: Enkash Coins node, Max Concurrent Requests 5',
		node: () => enkashNode(5),
	},
	{
		key: 'F',
		label: `F: floor node, only n8n's request helper, ${DEFAULT_CONCURRENCY} in flight`,
		node: () => floorNode(DEFAULT_CONCURRENCY),
	},
	{
		key: 'B',
		label: 'B: HTTP Request node 4.5, defaults',
		node: (url) => httpRequestNode(url, 0),
	},
	{
		key: `B${DEFAULT_CONCURRENCY}`,
		label: `B${DEFAULT_CONCURRENCY}: HTTP Request node 4.5, batches of ${DEFAULT_CONCURRENCY}`,
		node: (url) => httpRequestNode(url, DEFAULT_CONCURRENCY),
	},
	{
		key: 'H',
		label: `H: n8n's HTTP client alone, outside n8n, ${DEFAULT_CONCURRENCY} in flight`,
		script: 'helper-client.js',
	},
	{
		key: 'C',
		label: `C: plain Node.js client, keep-alive, ${DEFAULT_CONCURRENCY} in flight`,
		script: 'raw-client.js',
	},
];

/**
 * A comparison the report states under a scenario's table: `numerator` time
 * over `denominator` time, and its target if it has one.
 * @typedef {{ numerator: string, denominator: string, target?: string }} Ratio
 */

/**
 * @typedef {object} Scenario
 * @property {string} key
 * @property {string} title
 * @property {{ latencyMs?: number, rateLimit?: { perSecond: number } }} sandbox
 * @property {number} size allocations in each run
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
		size: 1000,
		contenders: ['N', 'A', 'D', 'F', 'B', `B${DEFAULT_CONCURRENCY}`, 'C'],
		ratios: [
			{ numerator: 'A', denominator: 'F' },
			{ numerator: 'D', denominator: 'A', target: '≤ 0.1' },
			{ numerator: 'B', denominator: 'A', target: '≥ 1' },
			{ numerator: `B${DEFAULT_CONCURRENCY}`, denominator: 'A' },
			{ numerator: 'A', denominator: 'C' },
		],
		profile: QUICK,
	},
	// Not in quick mode. The batched B is left out at 10,000: like B, it takes a minute a run there.
	...(QUICK
		? []
		: [
				{
					key: 'instant10k',
					title: 'An API that answers at once',
					sandbox: {},
					size: 10000,
					contenders: ['N', 'A', 'A5', 'D', 'F', 'B', 'C'],
					ratios: [
						{ numerator: 'A', denominator: 'F', target: '≤ 1.1' },
						// A dry run checks every item as a real run does, and sends nothing.
						{ numerator: 'D', denominator: 'A', target: '≤ 0.1' },
						// The default was 5 until the contract raised it; an API that answers at once gains nothing from more.
						{ numerator: 'A', denominator: 'A5', target: '≤ 1' },
						{ numerator: 'B', denominator: 'A', target: '≥ 1' },
						{ numerator: 'A', denominator: 'C' },
						{ numerator: 'F', denominator: 'C' },
					],
					profile: true,
				},
			]),
	...[25, 100].map((latencyMs) => ({
		key: `latency${latencyMs}`,
		title: `An API that answers after ${latencyMs} ms`,
		sandbox: { latencyMs },
		size: QUICK ? 200 : latencyMs >= 100 ? 400 : 1000,
		contenders: ['A', 'F', 'B', 'H', 'C'],
		ratios: [
			{ numerator: 'B', denominator: 'A', target: latencyMs >= 100 ? '≥ 1' : '≥ 2' },
			{ numerator: 'A', denominator: 'C', target: '≤ 1.1' },
			{ numerator: 'A', denominator: 'F' },
			{ numerator: 'F', denominator: 'H' },
			{ numerator: 'H', denominator: 'C' },
		],
		perRequest: [{ inFlight: DEFAULT_CONCURRENCY, keys: ['A', 'F', 'H', 'C'] }],
	})),
	{
		key: 'rateLimit',
		title: `An API that allows ${RATE_LIMIT} requests a second and answers after 25 ms`,
		sandbox: { latencyMs: 25, rateLimit: { perSecond: RATE_LIMIT } },
		size: QUICK ? 500 : 2000,
		contenders: ['A'],
		ratios: [],
		reps: 1,
	},
];

const byKey = new Map(CONTENDERS.map((contender) => [contender.key, contender]));
/** @param {string} key */
const contender = (key) => /** @type {Contender} */ (byKey.get(key));

/** @param {Contender} each @param {number} size */
function workflowId(each, size) {
	return `Bench${each.key}x${size}`.padEnd(16, 'x').slice(0, 21);
}

/** @param {Scenario} scenario @param {Contender} each */
function resultKey(scenario, each) {
	return `${scenario.key}/${each.key}@${scenario.size}`;
}

module.exports = {
	DEFAULT_CONCURRENCY,
	EARLIER,
	MEASUREMENTS,
	QUICK,
	REPS,
	SCENARIOS,
	contender,
	resultKey,
	workflowId,
};
