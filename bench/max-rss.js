// Preloaded into a measured process (NODE_OPTIONS=--require): on exit, writes its
// peak resident set size in bytes to BENCH_RSS_FILE. Child processes (n8n's task
// runners) inherit NODE_OPTIONS but not the job: only the first process reports.
const reportFile = process.env.BENCH_RSS_FILE;
if (reportFile && !process.env.BENCH_RSS_REPORTER) {
	process.env.BENCH_RSS_REPORTER = String(process.pid);
	process.on('exit', () => {
		require('node:fs').writeFileSync(reportFile, String(process.resourceUsage().maxRSS * 1024));
	});
}
