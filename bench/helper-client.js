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
const { runClient } = require('./client-run');

const fromRuntime = (/** @type {string} */ name) =>
	require(path.join(paths.runtimeDir, 'node_modules', name));
fromRuntime('reflect-metadata');
const { Container } = fromRuntime('@n8n/di');
const { OutboundHttp } = fromRuntime('@n8n/backend-network');

const client = Container.get(OutboundHttp).requests();

runClient(async ({ url, token, body }) => {
	const response = await client.request({
		method: 'POST',
		url: `${url}/api/v0/enkash-coins/allocate-coin`,
		headers: { Authorization: `Bearer ${token}` },
		body,
		json: true,
		disableFollowRedirect: true,
	});
	if (response.response_code !== 0) throw new Error(JSON.stringify(response));
});
