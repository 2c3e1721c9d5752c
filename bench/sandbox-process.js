// @ts-check
/**
 * The sandbox in a process of its own, so that it does not share an event loop
 * with what is measured. Prints one JSON line {url, token} when ready.
 * Usage: node sandbox-process.js [OPTIONS_JSON], for example {"latencyMs":25}.
 */
const { startSandbox } = require('../sandbox/enkash-sandbox');

startSandbox({
	recordRequests: false,
	tokenTtlSeconds: 24 * 3600,
	...JSON.parse(process.argv[2] ?? '{}'),
}).then((sandbox) => {
	process.stdout.write(`${JSON.stringify({ url: sandbox.url, token: sandbox.issueToken() })}\n`);
	const stop = () => sandbox.close().then(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
});
