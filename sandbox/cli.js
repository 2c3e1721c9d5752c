// @ts-check
'use strict';

/**
 * Starts the Enkash Coins sandbox for manual use (`npm run sandbox`; USAGE below).
 * --latency makes every answer wait, as a real API over a network does;
 * --rate-limit answers 429 with Retry-After beyond that many API requests a second.
 *
 * The port can also come from ENKASH_SANDBOX_PORT (default 4010; 0 = any free port).
 */

const { parseArgs } = require('node:util');

const { startSandbox } = require('./enkash-sandbox');

const DEFAULT_PORT = 4010;
// Long enough for a human to paste the token into n8n and play with it.
const TOKEN_TTL_HOURS = 24;
const USAGE = 'Usage: node sandbox/cli.js [--port N] [--latency MS] [--rate-limit PER_SECOND]';

const DEMO_EVENT = { companyId: 'CEK0TCW2W8', event: 'REFERRAL_EVENT', amount: 50 };

/**
 * @param {string[]} args
 * @returns {{ port: number, latencyMs: number, rateLimit: { perSecond: number } | null }}
 */
function readSettings(args) {
	const { values } = parseArgs({
		args,
		options: {
			port: { type: 'string', default: process.env.ENKASH_SANDBOX_PORT },
			latency: { type: 'string' },
			'rate-limit': { type: 'string' },
		},
	});
	const perSecond = wholeNumber('--rate-limit', values['rate-limit'], 0, Infinity);
	return {
		port: wholeNumber('--port', values.port, DEFAULT_PORT, 65535),
		latencyMs: wholeNumber('--latency', values.latency, 0, 60_000),
		// 0 means no limit.
		rateLimit: perSecond > 0 ? { perSecond } : null,
	};
}

/**
 * @param {string} name @param {string | undefined} text @param {number} fallback @param {number} max
 */
function wholeNumber(name, text, fallback, max) {
	if (text === undefined || text === '') return fallback;
	const value = Number(text);
	if (!Number.isSafeInteger(value) || value < 0 || value > max) {
		const range = max === Infinity ? '' : ` from 0 to ${max}`;
		throw new Error(`${name} must be a whole number${range}, got "${text}"`);
	}
	return value;
}

/** @param {import('./enkash-sandbox').Sandbox} sandbox @param {string} coinConfigId */
function banner(sandbox, coinConfigId) {
	const { url, credentials } = sandbox;
	return [
		`Enkash Coins sandbox listening on ${url}`,
		'',
		'Credential "Enkash Coins API" (bearer token)',
		`  Base URL       ${url}`,
		`  Access Token   ${sandbox.issueToken()}   (valid ${TOKEN_TTL_HOURS} h)`,
		'',
		'Credential "Enkash Coins Password API" (password grant)',
		`  Base URL       ${url}`,
		`  Token URL      ${url}/oauth/token`,
		`  Client ID      ${credentials.clientId}`,
		`  Client Secret  ${credentials.clientSecret}`,
		`  Username       ${credentials.username}`,
		`  Password       ${credentials.password}`,
		'',
		`Demo event     ${DEMO_EVENT.event} (${coinConfigId}) of company ${DEMO_EVENT.companyId}, ${DEMO_EVENT.amount} coins`,
		'',
		`Control endpoints (no auth): ${url}/__sandbox/state, requests, faults, events, token, expire-tokens, reset (docs/sandbox.md)`,
		'',
		'Press Ctrl-C to stop.',
	].join('\n');
}

async function main() {
	let settings;
	try {
		settings = readSettings(process.argv.slice(2));
	} catch (error) {
		console.error(`${error.message}\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	const sandbox = await startSandbox({ ...settings, tokenTtlSeconds: TOKEN_TTL_HOURS * 3600 });
	const { coinConfigId } = sandbox.createEvent(DEMO_EVENT);
	console.log(banner(sandbox, coinConfigId));

	const stop = async () => {
		await sandbox.close();
		console.log('Sandbox stopped.');
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	console.error(`Could not start the sandbox: ${error.message}`);
	process.exitCode = 1;
});
