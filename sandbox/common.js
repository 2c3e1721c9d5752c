// @ts-check
'use strict';

/** What every part of the sandbox shares: types, the API problem and small helpers. */

const http = require('node:http');
const crypto = require('node:crypto');

/** @typedef {import('./store').Store} Store */

const TOKEN_PATH = '/oauth/token';
const JSON_TYPE = 'application/json';

/**
 * @typedef {object} SandboxOptions
 * @property {number} [port] port to listen on; 0 (default) picks a free one
 * @property {string} [clientId] OAuth client id
 * @property {string} [clientSecret] OAuth client secret
 * @property {string} [username] the one user that can obtain tokens
 * @property {string} [password] that user's password
 * @property {number} [tokenTtlSeconds] lifetime of issued tokens (default 300)
 * @property {number} [tokenMaxUses] authenticated API requests a token may make (default Infinity)
 * @property {boolean} [recordRequests] keep every API request in `requests` (default true)
 * @property {number} [latencyMs] how long every API and token request waits before it is answered, as a real network and API would (default 0)
 * @property {{ perSecond: number } | null} [rateLimit] API requests allowed per second (a second's worth at once); beyond it the answer is 429 with Retry-After (default none)
 */

/** @typedef {Required<SandboxOptions>} ResolvedOptions */

/** @typedef {{ coinConfigId: string, configuration: string, companyId: string, event: string, amount: number }} CoinEvent */

/** @typedef {{ companyId: string, event: string, amount: number, configuration?: string }} EventSeed */

/** @typedef {{ requestId: string, companyId: string, event: string, userId: string, amount: number }} Allocation */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {http.IncomingHttpHeaders} headers lower-case names
 * @property {unknown} body parsed JSON (or form for the token endpoint), raw text if unparsable, undefined if empty
 * @property {number} at reception time (ms since epoch)
 * @property {number | undefined} remotePort the client's port: which process of the client sent it
 * @property {string} outcome 'pending' until answered, then 'ok' (HTTP 200), the HTTP status,
 *   or the kind of the fault that replaced the response
 */

/**
 * @typedef {'status' | 'reset' | 'stall' | 'latency' | 'malformed' | 'html' | 'empty'
 *   | 'envelopeFailure' | 'custom'} FaultKind
 */

/**
 * @typedef {object} FaultMatch
 * @property {string} [method]
 * @property {string} [path] the exact path
 * @property {Record<string, unknown>} [body] every key given must equal the request body's value
 */

/**
 * @typedef {object} FaultRule
 * @property {FaultKind} kind
 * @property {FaultMatch} [match]
 * @property {number} [status]
 * @property {number | string} [retryAfter]
 * @property {number} [delayMs]
 * @property {string} [message]
 * @property {string} [body] for `custom`: the response body, sent as it is, except that
 *   `{{bearer}}` stands for the request's bearer token (APIs that echo a rejected token)
 * @property {string} [contentType] for `custom` (default application/json)
 * @property {Record<string, string>} [headers] for `custom`: more response headers, such as a redirect's Location
 * @property {boolean} [afterProcessing]
 * @property {number} [times]
 * @property {number} [every]
 */

/** @typedef {FaultRule & { matched: number, applied: number }} ActiveFault */

/** @typedef {{ status: number, body?: unknown, headers?: Record<string, string> }} Reply */

/**
 * One API request as the routes and the fault matcher see it.
 * @typedef {{ method: string, path: string, query: URLSearchParams, headers: http.IncomingHttpHeaders, bodyParsed: boolean, body: unknown }} Exchange
 */

/** @typedef {{ exchange: Exchange, body: Record<string, unknown>, params: string[] }} RouteRequest */
/**
 * @typedef {object} Route
 * @property {string} method
 * @property {RegExp} pattern
 * @property {boolean} [jsonBody] the route reads a JSON object body
 * @property {(store: Store, request: RouteRequest) => Reply} handle
 */

/**
 * A rejected API call. `status` 200 means an envelope failure (response_code 1),
 * which is how the vendor reports business-rule failures.
 */
class ApiProblem extends Error {
	/** @param {number} status @param {string} message */
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isPlainObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const randomHex = () => crypto.randomBytes(16).toString('hex');

/** @param {string} text */
function decodePathSegment(text) {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

module.exports = {
	ApiProblem,
	JSON_TYPE,
	TOKEN_PATH,
	decodePathSegment,
	isPlainObject,
	randomHex,
};
