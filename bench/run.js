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
 * Three rounds; BENCH_QUICK=1 runs every scenario once at small sizes, for
 * development. The measurements are kept in .e2e-runtime/bench-results.json,
 * and BENCH_REPORT_ONLY=1 writes BENCHMARKS.md again from them without measuring.
 *
 * scenarios.js defines the contenders and scenarios, runner.js measures them,
 * report.js writes BENCHMARKS.md.
 */
const { EARLIER } = require('./scenarios');
const { writeReport } = require('./report');
const { runBenchmark } = require('./runner');

(EARLIER ? Promise.resolve(EARLIER) : runBenchmark()).then(writeReport).catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
