// @ts-check
/** Writes BENCHMARKS.md from what a run of the benchmark measured. */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { paths } = require('../dev/runtime');
const { chartSvg } = require('./chart');
const { DEFAULT_CONCURRENCY, SCENARIOS, contender, resultKey } = require('./scenarios');

/** @typedef {import('./runner').Measured} Measured */
/** @typedef {import('./runner').Measurements} Measurements */
/** @typedef {import('./scenarios').Scenario} Scenario */

const OUTPUT = path.join(paths.repoRoot, 'BENCHMARKS.md');
/** The chart, beside the README and BENCHMARKS.md that show it. */
const CHART = 'docs/bench-chart.svg';
/** The contenders the chart compares, by key, with the chart's shorter labels. */
const CHARTED = {
	A: 'Enkash Coins node, defaults',
	F: `floor node, ${DEFAULT_CONCURRENCY} in flight`,
	B: 'HTTP Request node, defaults',
	C: `plain client, ${DEFAULT_CONCURRENCY} in flight`,
};
/** The scenarios the chart plots, from an API that answers at once to one that answers after 100 ms. */
const CHARTED_SCENARIOS = ['instant', 'latency25', 'latency100'];

/**
 * A section of BENCHMARKS.md this benchmark does not measure (the end-to-end
 * lockout test does), kept as it is when the report is written again.
 */
const KEPT_SECTION = '## Login and token cost';

/** The kept section of the current BENCHMARKS.md, with the heading, or nothing. */
function keptSection() {
	const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
	const start = current.indexOf(`\n${KEPT_SECTION}\n`);
	if (start < 0) return '';
	const end = current.indexOf('\n## ', start + 1);
	return current.slice(start, end < 0 ? undefined : end).trimEnd() + '\n';
}

/** @param {Measured} measured */
function writeReport(measured) {
	const kept = keptSection();
	fs.writeFileSync(OUTPUT, report(measured).trimEnd() + '\n' + kept);
	fs.writeFileSync(path.join(paths.repoRoot, CHART), chart(entriesIn(measured.results)));
	process.stderr.write(`\nWrote ${path.relative(process.cwd(), OUTPUT)} and ${CHART}\n`);
	process.stdout.write(fs.readFileSync(OUTPUT, 'utf8'));
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

const seconds = (/** @type {number} */ ms) => (ms / 1000).toFixed(2);
const megabytes = (/** @type {number} */ bytes) => (bytes / 2 ** 20).toFixed(0);

/**
 * A scenario's measurements, by contender key.
 * @param {Measured['results']} results
 * @returns {(scenario: Scenario) => (key: string) => Measurements}
 */
const entriesIn = (results) => (scenario) => (key) =>
	/** @type {Measurements} */ (results[resultKey(scenario, contender(key))]);

/**
 * A contender's median time in a scenario.
 * @param {ReturnType<typeof entriesIn>} entriesOf @param {Scenario} scenario @param {string} key
 */
const medianMs = (entriesOf, scenario, key) => stats(entriesOf(scenario)(key).ms).median;

/** The chart of allocations per second against latency. @param {ReturnType<typeof entriesIn>} entriesOf */
function chart(entriesOf) {
	const scenarios = SCENARIOS.filter(({ key }) => CHARTED_SCENARIOS.includes(key));
	return chartSvg({
		title: 'Allocations per second, by how fast the API answers (medians)',
		series: Object.entries(CHARTED).map(([key, label]) => ({
			label,
			points: scenarios.map((scenario) => ({
				latencyMs: scenario.sandbox.latencyMs ?? 0,
				perSecond: scenario.size / (medianMs(entriesOf, scenario, key) / 1000),
			})),
		})),
	});
}

/** @param {Measured} measured */
function report({ results, cliStartupMs, profile, totalSeconds, quick, reps, date }) {
	const nodeVersion = execFileSync(paths.nodeBin, ['--version'], { encoding: 'utf8' }).trim();
	const packageVersion = require('../package.json').version;
	const entriesOf = entriesIn(results);
	const lines = [
		'# Benchmarks',
		'',
		`Written by \`npm run bench\`${quick ? ' (quick mode: one round, small sizes)' : ''} on ${date}: ` +
			`${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB,`,
		`n8n ${paths.n8nVersion} on Node ${nodeVersion}, n8n-nodes-enkash-coins ${packageVersion}, ` +
			'the sandbox on loopback in its own process.',
		`Medians of ${reps} alternating rounds, with min and max. n8n contenders are timed by the execution as n8n records it (start to stop);`,
		`the CLI start-up around it (about ${seconds(cliStartupMs).slice(0, -1)} s) is not included. ` +
			'Peak memory is the RSS high-water mark of the measuring process',
		'(the n8n process, or the client). Every run credits distinct users, and every balance is checked afterwards.',
		'',
		`![Allocations per second against the API's latency: the node, the floor node, the HTTP Request node and a plain client](${CHART})`,
		'',
	];
	for (const scenario of SCENARIOS) {
		const limited = scenario.sandbox.rateLimit;
		const { size } = scenario;
		const rounds = scenario.reps ?? reps;
		lines.push(
			`## ${scenario.title}: ${size.toLocaleString('en')} allocations${rounds !== reps ? ` (${rounds} round${rounds > 1 ? 's' : ''})` : ''}`,
			'',
			`| contender | time (s) | items/s | peak RSS (MB) | sandbox CPU (s) |${limited ? ' answered 429 |' : ''}`,
			`|---|---|---|---|---|${limited ? '---|' : ''}`,
		);
		const entryOf = entriesOf(scenario);
		for (const key of scenario.contenders) {
			const entry = entryOf(key);
			const time = stats(entry.ms);
			const rss = stats(entry.rss);
			const rate = key === 'N' ? '–' : Math.round(size / (time.median / 1000)).toLocaleString('en');
			const cells = [
				contender(key).label,
				`${seconds(time.median)} (${seconds(time.min)}–${seconds(time.max)})`,
				rate,
				`${megabytes(rss.median)} (${megabytes(rss.min)}–${megabytes(rss.max)})`,
				stats(entry.sandboxCpu).median.toFixed(2),
			];
			if (limited)
				cells.push(
					`${stats(entry.rateLimited).median} (${throttledShare(entry, size).toFixed(1)} % of requests)`,
				);
			lines.push(`| ${cells.join(' | ')} |`);
		}
		lines.push('');
		const median = (/** @type {string} */ key) => stats(entryOf(key).ms).median;
		for (const { numerator, denominator, target } of scenario.ratios) {
			lines.push(
				`- Time ${numerator} / ${denominator}: ${(median(numerator) / median(denominator)).toFixed(2)}${target ? ` (target ${target})` : ''}`,
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
			const aboveN = (/** @type {string} */ key) =>
				((rssMedian(key) - rssMedian('N')) / size / 1024).toFixed(1);
			const againstA5 = scenario.contenders.includes('A5')
				? `; A / A5: ${(rssMedian('A') / rssMedian('A5')).toFixed(2)} (target ≤ 1)`
				: '';
			lines.push(
				`- Peak memory A / B: ${(rssMedian('A') / rssMedian('B')).toFixed(2)} (target ≤ 1)${againstA5}; ` +
					`A above N: ${aboveN('A')} kB per item, F above N: ${aboveN('F')} kB, B above N: ${aboveN('B')} kB`,
			);
		}
		if (limited) {
			for (const key of scenario.contenders)
				lines.push(
					`- ${key}: ${Math.round((size / (median(key) / 1000) / limited.perSecond) * 100)} % of the limit (target ≥ 90 %), ` +
						`${throttledShare(entryOf(key), size).toFixed(1)} % of requests answered 429 (target < ${THROTTLED_TARGET_PERCENT} %)`,
				);
			lines.push(
				[
					`- ${size.toLocaleString('en')} allocations, not 10,000: at ${limited.perSecond} a second,`,
					"10,000 take over 3 minutes a contender, beyond the benchmark's 20 minutes.",
					"The first second, before Enkash's first 429 sets the pace,",
					'weighs more in the share of 429s here than in a longer run.',
				].join(' '),
			);
		}
		lines.push('');
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
 * Whether the time ratio `numerator` / `denominator` of a scenario misses the
 * target it has there (`≥ x` or `≤ x`); false when it has none.
 * @param {ReturnType<typeof entriesIn>} entriesOf @param {Scenario} scenario
 * @param {string} numerator @param {string} denominator
 */
function missesTarget(entriesOf, scenario, numerator, denominator) {
	const target = scenario.ratios.find(
		(ratio) => ratio.numerator === numerator && ratio.denominator === denominator,
	)?.target;
	if (target === undefined) return false;
	const ratio =
		medianMs(entriesOf, scenario, numerator) / medianMs(entriesOf, scenario, denominator);
	const bound = Number(target.slice(1).trim());
	return target.startsWith('≥') ? ratio < bound : ratio > bound;
}

/**
 * What limits the targets the node cannot reach, in the figures just measured.
 * @param {ReturnType<typeof entriesIn>} entriesOf
 */
function limitsOf(entriesOf) {
	const scenario = (/** @type {string} */ key) =>
		/** @type {Scenario} */ (SCENARIOS.find((each) => each.key === key));
	const latencies = [scenario('latency25'), scenario('latency100')];
	const rate = scenario('rateLimit');
	const perRequest = (/** @type {string} */ key) =>
		((medianMs(entriesOf, latencies[0], key) * DEFAULT_CONCURRENCY) / latencies[0].size).toFixed(1);
	const slowerThanB = latencies.filter((each) => missesTarget(entriesOf, each, 'B', 'A'));
	// Not measured in quick mode.
	const atOnce = SCENARIOS.find((each) => each.key === 'instant10k');
	const atOnceTime = (/** @type {string} */ key) =>
		medianMs(entriesOf, /** @type {Scenario} */ (atOnce), key);
	const atOnceRss = (/** @type {string} */ key) =>
		stats(entriesOf(/** @type {Scenario} */ (atOnce))(key).rss).median;
	const defaultCostsAtOnce =
		atOnce !== undefined &&
		(missesTarget(entriesOf, atOnce, 'A', 'A5') || atOnceRss('A') > atOnceRss('A5'));
	const limited = entriesOf(rate);
	const overThrottled = rate.contenders.filter(
		(key) => throttledShare(limited(key), rate.size) >= THROTTLED_TARGET_PERCENT,
	);
	return [
		'## What limits the targets that are missed',
		'',
		...slowerThanB.map((each) =>
			[
				`- **The node at its defaults against the HTTP Request node, ${each.sandbox.latencyMs} ms.**`,
				"The HTTP Request node sends every item's request at once;",
				`the node keeps at most ${DEFAULT_CONCURRENCY} in flight unless *Max Concurrent Requests* says more,`,
				'so at this latency its pace is that number of requests per round trip.',
			].join(' '),
		),
		...(defaultCostsAtOnce
			? [
					[
						`- **The default of ${DEFAULT_CONCURRENCY} in flight against 5, on an API that answers at once** (${atOnce.size.toLocaleString('en')} allocations:`,
						`A ${seconds(atOnceTime('A'))} s and ${megabytes(atOnceRss('A'))} MB,`,
						`A5 ${seconds(atOnceTime('A5'))} s and ${megabytes(atOnceRss('A5'))} MB).`,
						'With nothing to wait for, more requests in flight add no throughput, only more connections open at once in n8n;',
						`the floor node at ${DEFAULT_CONCURRENCY} in flight takes ${seconds(atOnceTime('F'))} s, as the node does, so the difference is n8n's, not the node's.`,
						`Against any latency, ${DEFAULT_CONCURRENCY} is the faster default (the 25 and 100 ms tables).`,
					].join(' '),
				]
			: []),
		[
			'- **The node against a plain client with the same requests in flight.**',
			`At 25 ms and ${DEFAULT_CONCURRENCY} in flight, a request takes ${perRequest('A')} ms in the node,`,
			`${perRequest('F')} ms in the floor node that only calls n8n's helper,`,
			`${perRequest('H')} ms through n8n's HTTP client alone outside n8n,`,
			`and ${perRequest('C')} ms in the plain keep-alive client.`,
			"A − F is the node's own work;",
			"F − H is n8n's execution around its helper (the engine, its garbage collection, one event loop for everything);",
			"H − C is n8n's HTTP client, which opens a new connection per request and takes no agent from a node.",
			'A verified community node cannot bring its own HTTP client',
			"(`node:http` is banned by n8n's lint and scanner), so the floor node is the best a node can do.",
		].join(' '),
		...(overThrottled.length > 0
			? [
					[
						'- **Under a rate limit: the share answered 429**',
						`(${overThrottled.map((key) => `${key} ${throttledShare(limited(key), rate.size).toFixed(1)} %`).join(', ')}).`,
						"The node learns the pace from Enkash's 429s:",
						'until the first one it sends as fast as the requests in flight allow,',
						"and that first second spends the limiter's burst and draws 429s;",
						'afterwards it paces just under what Enkash accepted and probes upwards by 2 % a second.',
						`In a run of ${rate.size.toLocaleString('en')} allocations the first second weighs more than in one of 10,000.`,
					].join(' '),
				]
			: []),
	];
}

module.exports = { writeReport };
