// @ts-check
/**
 * Contender H: the allocation requests sent through n8n's own HTTP client
 * (OutboundHttp from @n8n/backend-network, what `httpRequestWithAuthentication`
 * calls in the end) of the pinned n8n, outside n8n, with a fixed number in
 * flight. Between C and F, it shows what n8n's client costs and what running
 * inside n8n adds. Prints one JSON line {ms}.
 * Usage: node helper-client.js URL TOKEN COUNT CONCURRENCY PREFIX
 */
const path = require('node:path');

const { paths } = require('../dev/runtime');

const fromRuntime = (/** @type {string} */ name) =>
	require(path.join(paths.runtimeDir, 'node_modules', name));
fromRuntime('reflect-metadata');
const { Container } = fromRuntime('@n8n/di');
const { OutboundHttp } = fromRuntime('@n8n/backend-network');

const [url, token, countText, concurrencyText, prefix] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concurrencyText);
const client = Container.get(OutboundHttp).requests();

/** @param {number} index */
async function allocate(index) {
	const response = await client.request({
		method: 'POST',
		url: `${url}/api/v0/enkash-coins/allocate-coin`,
		headers: { Authorization: `Bearer ${token}` },
		body: {
			companyId: 'CEK0TCW2W8',
			event: 'REFERRAL_EVENT',
			userId: `${prefix}${index}`,
			requestId: `REQ-${prefix}${index}`,
		},
		json: true,
		disableFollowRedirect: true,
	});
	if (response.response_code !== 0) throw new Error(JSON.stringify(response));
}

async function main() {
	const started = process.hrtime.bigint();
	let next = 0;
	const worker = async () => {
		while (next < count) await allocate(next++);
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	process.stdout.write(`${JSON.stringify({ ms })}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
