// @ts-check
'use strict';

/**
 * In-memory simulator ("sandbox") of the Enkash Coins Point Management API and
 * its OAuth password-grant token endpoint, served over HTTP for tests, demos and
 * benchmarks. Faults (errors, resets, stalls, garbage bodies...) can be injected
 * per request, and a small control API under /__sandbox/ drives it from outside.
 */

const http = require('node:http');
const crypto = require('node:crypto');
const { isDeepStrictEqual } = require('node:util');

const TOKEN_PATH = '/oauth/token';
const CONTROL_PREFIX = '/__sandbox/';
const JSON_TYPE = 'application/json';
const CONFIGURATIONS = ['DEFAULT', 'CUSTOM'];
const MAX_FAILED_LOGINS = 3;
const FIRST_CONFIG_NUMBER = 100001;
const EVENT_FIELDS = ['configuration', 'companyId', 'event', 'amount'];
const ALLOCATION_FIELDS = ['companyId', 'event', 'requestId', 'userId'];
const MALFORMED_JSON = '{"response_code":0,"respo';
const BAD_GATEWAY_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * @typedef {object} SandboxOptions
 * @property {string} [host] interface to listen on (default 127.0.0.1)
 * @property {number} [port] port to listen on; 0 (default) picks a free one
 * @property {string} [clientId] OAuth client id
 * @property {string} [clientSecret] OAuth client secret
 * @property {string} [username] the one user that can obtain tokens
 * @property {string} [password] that user's password
 * @property {number} [tokenTtlSeconds] lifetime of issued tokens (default 300)
 * @property {number} [tokenMaxUses] authenticated API requests a token may make (default Infinity)
 * @property {number} [seed] seed of the PRNG behind fault `rate` (default 1)
 * @property {boolean} [recordRequests] keep every API request in `requests` (default true)
 */

/** @typedef {Required<SandboxOptions>} ResolvedOptions */

/**
 * @typedef {object} CoinEvent
 * @property {string} coinConfigId
 * @property {string} configuration
 * @property {string} companyId
 * @property {string} event
 * @property {number} amount
 */

/** @typedef {{ companyId: string, event: string, amount: number, configuration?: string }} EventSeed */

/**
 * @typedef {object} Allocation
 * @property {string} requestId
 * @property {string} companyId
 * @property {string} event
 * @property {string} userId
 * @property {number} amount
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {http.IncomingHttpHeaders} headers lower-case names
 * @property {unknown} body parsed JSON (or form for the token endpoint), raw text if unparsable, undefined if empty
 * @property {number} at reception time (ms since epoch)
 * @property {string} outcome 'pending' until answered, then 'ok' (HTTP 200), the HTTP status,
 *   or the kind of the fault that replaced the response
 */

/**
 * @typedef {'status' | 'reset' | 'stall' | 'latency' | 'malformed' | 'html' | 'empty'
 *   | 'envelopeFailure' | 'custom' | 'expireToken'} FaultKind
 */

/**
 * @typedef {object} FaultMatch
 * @property {string} [method]
 * @property {string} [path] exact path, or a prefix when it ends with '*'
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
 * @property {boolean} [afterProcessing]
 * @property {number} [times]
 * @property {number} [every]
 * @property {number} [rate]
 */

/** @typedef {FaultRule & { matched: number, applied: number }} ActiveFault */

/** @typedef {{ status: number, body?: unknown, headers?: Record<string, string> }} Reply */

/**
 * One API request as the routes and the fault matcher see it.
 * @typedef {object} Exchange
 * @property {string} method
 * @property {string} path
 * @property {URLSearchParams} query
 * @property {http.IncomingHttpHeaders} headers
 * @property {boolean} bodyParsed
 * @property {unknown} body
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

// ---------------------------------------------------------------- helpers

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isPlainObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {unknown} value */
const isString = (value) => typeof value === 'string';

/** @param {unknown} value */
const isPositiveInteger = (value) =>
	typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

const randomHex = () => crypto.randomBytes(16).toString('hex');

/** Deterministic PRNG (mulberry32), so that fault `rate` is reproducible. @param {number} seed */
function mulberry32(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** @param {string} text */
function decodePathSegment(text) {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** @param {string} companyId @param {string} event */
const eventKey = (companyId, event) => `${companyId}\u0000${event}`;

// ---------------------------------------------------------------- replies

/** @param {number} code @param {string} message @param {unknown} payload */
const envelope = (code, message, payload) => ({
	response_code: code,
	response_message: message,
	payload,
});

/** @param {unknown} payload @returns {Reply} */
const success = (payload) => ({ status: 200, body: envelope(0, 'Success', payload) });

/** @param {string} message @returns {Reply} */
const envelopeFailure = (message) => ({ status: 200, body: envelope(1, message, message) });

/** @param {ApiProblem} problem @returns {Reply} */
const problemReply = (problem) =>
	problem.status === 200
		? envelopeFailure(problem.message)
		: { status: problem.status, body: envelope(problem.status, problem.message, null) };

/** @param {number} status @param {string} error @param {string} description @returns {Reply} */
const oauthError = (status, error, description) => ({
	status,
	body: { error, error_description: description },
});

/**
 * Spring Boot's default error body, for requests that reach no handler.
 * @param {number} status @param {string} error @param {string} path @returns {Reply}
 */
const springError = (status, error, path) => ({
	status,
	body: { timestamp: new Date().toISOString(), status, error, path },
});

/** @param {number} status @param {unknown} body @returns {Reply} */
const json = (status, body) => ({ status, body });

/**
 * @param {http.ServerResponse} res @param {number} status @param {string} contentType @param {string} text
 * @param {Record<string, string>} [headers]
 */
function sendText(res, status, contentType, text, headers = {}) {
	res.writeHead(status, {
		'Content-Type': contentType,
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/** @param {http.ServerResponse} res @param {Reply} reply */
function sendReply(res, reply) {
	if (reply.body === undefined) {
		res.writeHead(reply.status, reply.headers);
		res.end();
		return;
	}
	sendText(res, reply.status, JSON_TYPE, JSON.stringify(reply.body), reply.headers);
}

// ---------------------------------------------------------------- validation

/** @param {string} field @param {unknown} value */
function checkFieldValue(field, value) {
	if (field === 'amount') {
		if (!Number.isSafeInteger(value) || /** @type {number} */ (value) < 0) {
			throw new ApiProblem(422, 'amount must be a whole number of 0 or more');
		}
		return;
	}
	if (typeof value !== 'string') throw new ApiProblem(400, `${field} must be a string`);
	if (value.trim() === '') throw new ApiProblem(400, `${field} must not be blank`);
	if (field === 'configuration' && !CONFIGURATIONS.includes(value)) {
		throw new ApiProblem(422, `configuration must be ${CONFIGURATIONS.join(' or ')}`);
	}
}

/**
 * Validates the named fields of a request body; null counts as absent (as with
 * Jackson-bound DTOs). Returns only the fields given.
 * @param {Record<string, unknown>} input @param {string[]} fields @param {{ partial: boolean }} mode
 */
function validateFields(input, fields, { partial }) {
	/** @type {Record<string, unknown>} */
	const given = {};
	for (const field of fields) {
		const value = input[field];
		if (value === undefined || value === null) {
			if (partial) continue;
			throw new ApiProblem(400, `${field} must not be blank`);
		}
		checkFieldValue(field, value);
		given[field] = value;
	}
	return given;
}

// ---------------------------------------------------------------- state

/** Everything the simulated vendor remembers: events, balances, allocations, tokens, lockouts. */
class Store {
	/** @param {ResolvedOptions} options */
	constructor(options) {
		this.options = options;
		/** @type {Map<string, CoinEvent>} by coinConfigId */
		this.eventsById = new Map();
		/** @type {Map<string, CoinEvent>} by companyId + event */
		this.eventsByName = new Map();
		/** @type {Map<string, number>} */
		this.balances = new Map();
		/** @type {Allocation[]} */
		this.allocations = [];
		/** @type {Map<string, Allocation>} */
		this.allocationsByRequestId = new Map();
		/** @type {Map<string, { expiresAt: number, uses: number }>} */
		this.tokens = new Map();
		/** @type {Map<string, number>} consecutive failed logins by username */
		this.failedLogins = new Map();
		/** @type {RecordedRequest[]} */
		this.requests = [];
		this.tokenRequests = 0;
		this.lastConfigNumber = FIRST_CONFIG_NUMBER - 1;
	}

	clear() {
		this.eventsById.clear();
		this.eventsByName.clear();
		this.balances.clear();
		this.allocations.length = 0;
		this.allocationsByRequestId.clear();
		this.tokens.clear();
		this.failedLogins.clear();
		this.requests.length = 0;
		this.tokenRequests = 0;
		this.lastConfigNumber = FIRST_CONFIG_NUMBER - 1;
	}

	// tokens

	issueToken() {
		const token = randomHex();
		this.tokens.set(token, {
			expiresAt: Date.now() + this.options.tokenTtlSeconds * 1000,
			uses: 0,
		});
		return token;
	}

	/** Checks a bearer token and counts one use of it. @param {string} token */
	useToken(token) {
		const entry = this.tokens.get(token);
		if (!entry) return false;
		if (entry.expiresAt <= Date.now() || entry.uses >= this.options.tokenMaxUses) {
			this.tokens.delete(token);
			return false;
		}
		entry.uses += 1;
		return true;
	}

	/** @param {string} clientId @param {string} clientSecret */
	isClient(clientId, clientSecret) {
		return clientId === this.options.clientId && clientSecret === this.options.clientSecret;
	}

	/** @param {string} username @param {string} password @returns {'accepted' | 'rejected' | 'locked'} */
	login(username, password) {
		const failures = this.failedLogins.get(username) ?? 0;
		if (failures >= MAX_FAILED_LOGINS) return 'locked';
		if (username === this.options.username && password === this.options.password) {
			this.failedLogins.delete(username);
			return 'accepted';
		}
		this.failedLogins.set(username, failures + 1);
		return 'rejected';
	}

	// events

	/** @param {Record<string, unknown>} input @returns {CoinEvent} */
	createEvent(input) {
		const fields = /** @type {Omit<CoinEvent, 'coinConfigId'>} */ (
			validateFields(input, EVENT_FIELDS, { partial: false })
		);
		this.assertNameFree(fields.companyId, fields.event);
		this.lastConfigNumber += 1;
		const record = { coinConfigId: `WCC${this.lastConfigNumber}`, ...fields };
		this.eventsById.set(record.coinConfigId, record);
		this.eventsByName.set(eventKey(record.companyId, record.event), record);
		return { ...record };
	}

	/** @param {string} coinConfigId @returns {CoinEvent} */
	getEvent(coinConfigId) {
		return { ...this.findEvent(coinConfigId) };
	}

	/** @param {string} coinConfigId @param {Record<string, unknown>} input @returns {CoinEvent} */
	updateEvent(coinConfigId, input) {
		const changes = /** @type {Partial<CoinEvent>} */ (
			validateFields(input, EVENT_FIELDS, { partial: true })
		);
		if (Object.keys(changes).length === 0) throw new ApiProblem(400, 'Nothing to update');
		const record = this.findEvent(coinConfigId);
		const companyId = changes.companyId ?? record.companyId;
		const event = changes.event ?? record.event;
		if (companyId !== record.companyId || event !== record.event) {
			this.assertNameFree(companyId, event);
			this.eventsByName.delete(eventKey(record.companyId, record.event));
			this.eventsByName.set(eventKey(companyId, event), record);
		}
		Object.assign(record, changes);
		return { ...record };
	}

	/** @param {string} coinConfigId */
	findEvent(coinConfigId) {
		const record = this.eventsById.get(coinConfigId);
		if (!record) throw new ApiProblem(404, `Coin configuration ${coinConfigId} not found`);
		return record;
	}

	/** @param {string} companyId @param {string} event */
	assertNameFree(companyId, event) {
		if (this.eventsByName.has(eventKey(companyId, event))) {
			throw new ApiProblem(
				200,
				`Coin configuration already exists for event ${event} of company ${companyId}`,
			);
		}
	}

	listEvents() {
		return [...this.eventsById.values()].map((record) => ({ ...record }));
	}

	// coins

	/**
	 * Credits the user with the event's configured amount, once per requestId: a
	 * replay of the same allocation succeeds without crediting again.
	 * @param {Record<string, unknown>} input
	 */
	allocate(input) {
		const request = /** @type {Omit<Allocation, 'amount'>} */ (
			validateFields(input, ALLOCATION_FIELDS, { partial: false })
		);
		const previous = this.allocationsByRequestId.get(request.requestId);
		if (previous) {
			const sameAllocation =
				previous.companyId === request.companyId &&
				previous.event === request.event &&
				previous.userId === request.userId;
			if (sameAllocation) return;
			throw new ApiProblem(200, `Duplicate requestId ${request.requestId}`);
		}
		const config = this.eventsByName.get(eventKey(request.companyId, request.event));
		if (!config) {
			const message = `No coin configuration found for event ${request.event} of company ${request.companyId}`;
			throw new ApiProblem(200, message);
		}
		const allocation = { ...request, amount: config.amount };
		this.allocations.push(allocation);
		this.allocationsByRequestId.set(allocation.requestId, allocation);
		this.balances.set(allocation.userId, this.balanceOf(allocation.userId) + allocation.amount);
	}

	/** @param {string} userId */
	balanceOf(userId) {
		return this.balances.get(userId) ?? 0;
	}
}

// ---------------------------------------------------------------- faults

/**
 * The kinds that replace the response, and how each one answers.
 * @type {Record<string, (res: http.ServerResponse, fault: FaultRule, exchange: Exchange) => void>}
 */
const FAULT_RESPONSES = {
	status(res, fault) {
		const status = fault.status ?? 503;
		const headers =
			fault.retryAfter === undefined ? undefined : { 'Retry-After': String(fault.retryAfter) };
		sendReply(res, {
			status,
			body: envelope(status, fault.message ?? 'Service unavailable', null),
			headers,
		});
	},
	reset(res) {
		res.socket?.destroy();
	},
	stall() {
		// Never answer: the socket stays open until the client gives up or close() destroys it.
	},
	malformed(res) {
		sendText(res, 200, JSON_TYPE, MALFORMED_JSON);
	},
	html(res, fault) {
		sendText(res, fault.status ?? 502, 'text/html', BAD_GATEWAY_PAGE);
	},
	empty(res) {
		sendText(res, 200, JSON_TYPE, '');
	},
	envelopeFailure(res, fault) {
		sendReply(res, envelopeFailure(fault.message ?? 'Internal processing error'));
	},
	// Any answer at all, for bodies the API is not documented to send.
	custom(res, fault, exchange) {
		const body = (fault.body ?? '')
			.split('{{bearer}}')
			.join(bearerToken(exchange.headers.authorization) ?? '');
		sendText(res, fault.status ?? 200, fault.contentType ?? JSON_TYPE, body);
	},
};

const FAULT_KINDS = [...Object.keys(FAULT_RESPONSES), 'latency', 'expireToken'];

/** @type {Record<string, (value: unknown) => boolean>} */
const MATCH_FIELDS = { method: isString, path: isString, body: isPlainObject };

/** @type {Record<string, (value: unknown) => boolean>} */
const RULE_FIELDS = {
	kind: (value) => FAULT_KINDS.includes(/** @type {string} */ (value)),
	match: (value) =>
		isPlainObject(value) &&
		Object.entries(value).every(([key, item]) => MATCH_FIELDS[key]?.(item) ?? false),
	status: (value) =>
		typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599,
	retryAfter: (value) => typeof value === 'number' || typeof value === 'string',
	delayMs: (value) => typeof value === 'number' && value >= 0,
	message: isString,
	body: isString,
	contentType: isString,
	afterProcessing: (value) => typeof value === 'boolean',
	times: isPositiveInteger,
	every: isPositiveInteger,
	rate: (value) => typeof value === 'number' && value >= 0 && value <= 1,
};

/**
 * Rejects unknown fields too: a typo such as `time: 1` would otherwise turn a
 * one-off fault into a permanent one.
 * @param {unknown} input @returns {FaultRule}
 */
function validateRule(input) {
	if (!isPlainObject(input)) throw new ApiProblem(400, 'A fault rule must be an object');
	for (const [field, value] of Object.entries(input)) {
		const isValid = RULE_FIELDS[field];
		if (!isValid) throw new ApiProblem(400, `Unknown fault rule field "${field}"`);
		if (!isValid(value))
			throw new ApiProblem(400, `Invalid fault rule field "${field}": ${JSON.stringify(value)}`);
	}
	if (input.kind === undefined)
		throw new ApiProblem(400, `A fault rule needs a kind (${FAULT_KINDS.join(', ')})`);
	if (input.kind === 'latency' && input.delayMs === undefined) {
		throw new ApiProblem(400, 'A latency fault needs delayMs');
	}
	return /** @type {FaultRule} */ (structuredClone(input));
}

/** @param {FaultMatch} match @param {Exchange} exchange */
function faultMatches(match, exchange) {
	// The token endpoint is only faulted by rules that name it explicitly.
	if (exchange.path === TOKEN_PATH && !match.path?.startsWith('/oauth')) return false;
	if (match.method !== undefined && match.method.toUpperCase() !== exchange.method) return false;
	if (match.path !== undefined && !pathMatches(match.path, exchange.path)) return false;
	if (match.body !== undefined && !bodyMatches(match.body, exchange.body)) return false;
	return true;
}

/** @param {string} pattern @param {string} path */
const pathMatches = (pattern, path) =>
	pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;

/** @param {Record<string, unknown>} expected @param {unknown} body */
const bodyMatches = (expected, body) =>
	isPlainObject(body) &&
	Object.entries(expected).every(([key, value]) => isDeepStrictEqual(body[key], value));

class FaultInjector {
	/** @param {number} seed */
	constructor(seed) {
		this.seed = seed;
		this.random = mulberry32(seed);
		/** @type {ActiveFault[]} */
		this.rules = [];
	}

	/** @param {unknown[]} rules */
	replace(rules) {
		this.rules = rules.map((rule) => ({ ...validateRule(rule), matched: 0, applied: 0 }));
	}

	/** @param {unknown} rule */
	add(rule) {
		this.rules.push({ ...validateRule(rule), matched: 0, applied: 0 });
	}

	reseed() {
		this.random = mulberry32(this.seed);
	}

	list() {
		return this.rules.map((rule) => structuredClone(rule));
	}

	/**
	 * The first matching rule that selects this request. Rules after it do not
	 * see the request at all (their `matched` counter does not move).
	 * @param {Exchange} exchange @returns {ActiveFault | undefined}
	 */
	select(exchange) {
		for (const rule of this.rules) {
			if (!faultMatches(rule.match ?? {}, exchange)) continue;
			rule.matched += 1;
			if (this.selects(rule)) {
				rule.applied += 1;
				return rule;
			}
		}
		return undefined;
	}

	/** `every` and `rate` filter matches; `times` caps how often the rule applies. @param {ActiveFault} rule */
	selects(rule) {
		if (rule.times !== undefined && rule.applied >= rule.times) return false;
		if (rule.every !== undefined && rule.matched % rule.every !== 0) return false;
		return rule.rate === undefined || this.random() < rule.rate;
	}
}

// ---------------------------------------------------------------- API routes

/** @param {string | undefined} header */
function bearerToken(header) {
	return /^bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

/** @param {string | undefined} header @returns {[string, string]} */
function basicCredentials(header) {
	const encoded = /^basic\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
	if (encoded === undefined) return ['', ''];
	const decoded = Buffer.from(encoded, 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return colon < 0 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** @param {Store} store @param {http.IncomingHttpHeaders} headers @returns {Reply | undefined} */
function authenticate(store, headers) {
	const token = bearerToken(headers.authorization);
	if (token === undefined) {
		return oauthError(
			401,
			'unauthorized',
			'Full authentication is required to access this resource',
		);
	}
	// Echoing the token is deliberate: Spring Security OAuth does it, and clients must scrub it.
	if (!store.useToken(token))
		return oauthError(401, 'invalid_token', `Invalid access token: ${token}`);
	return undefined;
}

/** @param {Store} store @param {RouteRequest} request @returns {Reply} */
function grantToken(store, { exchange, body }) {
	if (!store.isClient(...basicCredentials(exchange.headers.authorization))) {
		return oauthError(401, 'unauthorized', 'Bad client credentials');
	}
	const grantType = body.grant_type;
	if (!grantType) return oauthError(400, 'invalid_request', 'Missing grant type');
	if (grantType !== 'password') {
		return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
	}
	const outcome = store.login(String(body.username ?? ''), String(body.password ?? ''));
	if (outcome === 'locked') return oauthError(400, 'invalid_grant', 'User account is locked');
	if (outcome === 'rejected') return oauthError(400, 'invalid_grant', 'Bad credentials');
	return json(200, {
		access_token: store.issueToken(),
		token_type: 'bearer',
		refresh_token: randomHex(),
		expires_in: store.options.tokenTtlSeconds,
		scope: 'read write trust',
	});
}

/** @type {Route[]} */
const API_ROUTES = [
	{ method: 'POST', pattern: /^\/oauth\/token$/, handle: grantToken },
	{
		method: 'POST',
		pattern: /^\/api\/v0\/enkash-coins\/create-coins-config$/,
		jsonBody: true,
		handle: (store, { body }) => success(store.createEvent(body)),
	},
	{
		method: 'POST',
		pattern: /^\/api\/v0\/enkash-coins\/allocate-coin$/,
		jsonBody: true,
		handle: (store, { body }) => {
			store.allocate(body);
			return success('Successfully allocated enkash Coins');
		},
	},
	{
		method: 'GET',
		pattern: /^\/api\/v0\/enkash-coins\/([^/]+)$/,
		handle: (store, { params }) => success(store.getEvent(params[0])),
	},
	{
		method: 'PATCH',
		pattern: /^\/api\/v0\/enkash-coins\/([^/]+)$/,
		jsonBody: true,
		handle: (store, { params, body }) => success(store.updateEvent(params[0], body)),
	},
	{
		method: 'GET',
		pattern: /^\/api\/v0\/coins\/balance$/,
		handle: (store, { exchange }) => {
			const userId = exchange.query.get('userId') ?? '';
			if (userId.trim() === '') throw new ApiProblem(400, 'userId must not be blank');
			return success(store.balanceOf(userId));
		},
	},
];

/** @param {Exchange} exchange @returns {Reply | undefined} */
function rejectBody(exchange) {
	if (!/^application\/json\b/i.test(exchange.headers['content-type'] ?? '')) {
		return springError(415, 'Unsupported Media Type', exchange.path);
	}
	if (!exchange.bodyParsed || !isPlainObject(exchange.body)) {
		return problemReply(new ApiProblem(400, 'Malformed JSON request'));
	}
	return undefined;
}

/**
 * Authenticates, then routes, in the order Spring applies: 401, then 404/405, then 415/400.
 * @param {Store} store @param {Exchange} exchange @returns {Reply}
 */
function routeApi(store, exchange) {
	if (exchange.path.startsWith('/api/')) {
		const denied = authenticate(store, exchange.headers);
		if (denied) return denied;
	}
	const candidates = API_ROUTES.filter((route) => route.pattern.test(exchange.path));
	if (candidates.length === 0) return springError(404, 'Not Found', exchange.path);
	const route = candidates.find((candidate) => candidate.method === exchange.method);
	if (!route) return springError(405, 'Method Not Allowed', exchange.path);
	const rejected = route.jsonBody ? rejectBody(exchange) : undefined;
	if (rejected) return rejected;
	const params = (route.pattern.exec(exchange.path) ?? []).slice(1).map(decodePathSegment);
	const body = isPlainObject(exchange.body) ? exchange.body : {};
	try {
		return route.handle(store, { exchange, body, params });
	} catch (error) {
		if (error instanceof ApiProblem) return problemReply(error);
		throw error;
	}
}

// ---------------------------------------------------------------- control routes

/** @typedef {(sandbox: EnkashSandbox, store: Store, body: unknown) => Reply} ControlHandler */

/** @type {Record<string, ControlHandler>} keyed by "METHOD path" */
const CONTROL_ROUTES = {
	'GET /__sandbox/state': (sandbox, store) =>
		json(200, {
			events: sandbox.events(),
			balances: Object.fromEntries(store.balances),
			allocations: store.allocations.length,
			requests: store.requests.length,
			tokenRequests: store.tokenRequests,
		}),
	'GET /__sandbox/requests': (sandbox) => json(200, sandbox.requests),
	'GET /__sandbox/faults': (sandbox) => json(200, sandbox.faults()),
	'POST /__sandbox/faults': (sandbox, _store, body) => {
		sandbox.setFaults(/** @type {FaultRule[]} */ (Array.isArray(body) ? body : [body]));
		return json(200, sandbox.faults());
	},
	'DELETE /__sandbox/faults': (sandbox) => {
		sandbox.clearFaults();
		return { status: 204 };
	},
	'POST /__sandbox/reset': (sandbox) => {
		sandbox.reset();
		return { status: 204 };
	},
	'POST /__sandbox/token': (sandbox) => json(200, { access_token: sandbox.issueToken() }),
	'POST /__sandbox/expire-tokens': (sandbox) => {
		sandbox.expireAllTokens();
		return { status: 204 };
	},
	'POST /__sandbox/events': (sandbox, _store, body) =>
		json(200, sandbox.createEvent(/** @type {EventSeed} */ (isPlainObject(body) ? body : {}))),
};

// ---------------------------------------------------------------- server

/** @param {http.IncomingMessage} req */
async function readBody(req) {
	/** @type {Buffer[]} */
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	return Buffer.concat(chunks).toString('utf8');
}

/** @param {string} path @param {string} raw @returns {{ parsed: boolean, value: unknown }} */
function parseBody(path, raw) {
	if (raw === '') return { parsed: false, value: undefined };
	if (path === TOKEN_PATH)
		return { parsed: true, value: Object.fromEntries(new URLSearchParams(raw)) };
	try {
		return { parsed: true, value: JSON.parse(raw) };
	} catch {
		return { parsed: false, value: raw };
	}
}

/** @param {SandboxOptions} options @returns {ResolvedOptions} */
function resolveOptions(options) {
	return {
		host: options.host ?? '127.0.0.1',
		port: options.port ?? 0,
		clientId: options.clientId ?? 'sandbox-client',
		clientSecret: options.clientSecret ?? 'sandbox-client-secret',
		username: options.username ?? 'loyalty-admin@example.com',
		password: options.password ?? 'sandbox-password',
		tokenTtlSeconds: options.tokenTtlSeconds ?? 300,
		tokenMaxUses: options.tokenMaxUses ?? Infinity,
		seed: options.seed ?? 1,
		recordRequests: options.recordRequests ?? true,
	};
}

/** A running sandbox; obtain one with startSandbox(). */
class EnkashSandbox {
	#options;
	#store;
	#faults;
	#server;
	/** @type {Set<import('node:net').Socket>} */
	#sockets = new Set();
	/** @type {Set<NodeJS.Timeout>} */
	#timers = new Set();
	/** @type {Promise<void> | undefined} */
	#closing;

	/** @param {ResolvedOptions} options */
	constructor(options) {
		this.#options = options;
		this.#store = new Store(options);
		this.#faults = new FaultInjector(options.seed);
		this.#server = http.createServer((req, res) => {
			this.#handle(req, res).catch(() => {
				if (res.headersSent) res.destroy();
				else sendReply(res, springError(500, 'Internal Server Error', req.url ?? '/'));
			});
		});
		this.#server.on('connection', (socket) => {
			this.#sockets.add(socket);
			socket.once('close', () => this.#sockets.delete(socket));
		});
		this.url = '';
		this.port = 0;
		this.credentials = {
			clientId: options.clientId,
			clientSecret: options.clientSecret,
			username: options.username,
			password: options.password,
		};
	}

	/** @param {ResolvedOptions} options */
	static async start(options) {
		const sandbox = new EnkashSandbox(options);
		await sandbox.#listen();
		return sandbox;
	}

	async #listen() {
		const server = this.#server;
		await new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.#options.port, this.#options.host, () => {
				server.off('error', reject);
				resolve(undefined);
			});
		});
		this.port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
		const host = this.#options.host.includes(':') ? `[${this.#options.host}]` : this.#options.host;
		this.url = `http://${host}:${this.port}`;
	}

	/** Recorded API requests (live array; emptied by reset()). */
	get requests() {
		return this.#store.requests;
	}

	/** A fresh valid access token, as if obtained from /oauth/token. */
	issueToken() {
		return this.#store.issueToken();
	}

	tokenRequestCount() {
		return this.#store.tokenRequests;
	}

	/** @param {string} userId */
	balanceOf(userId) {
		return this.#store.balanceOf(userId);
	}

	events() {
		return this.#store.listEvents();
	}

	allocations() {
		return this.#store.allocations.map((allocation) => ({ ...allocation }));
	}

	/** Seeds an event configuration; throws on invalid input or a duplicate. @param {EventSeed} seed */
	createEvent(seed) {
		return this.#store.createEvent({ ...seed, configuration: seed.configuration ?? 'DEFAULT' });
	}

	/** @param {FaultRule} rule */
	addFault(rule) {
		this.#faults.add(rule);
	}

	/** @param {FaultRule[]} rules */
	setFaults(rules) {
		this.#faults.replace(rules);
	}

	clearFaults() {
		this.#faults.replace([]);
	}

	/** The fault rules with their `matched` and `applied` counters. @returns {ActiveFault[]} */
	faults() {
		return this.#faults.list();
	}

	expireAllTokens() {
		this.#store.tokens.clear();
	}

	reset() {
		this.#store.clear();
		this.#faults.replace([]);
		this.#faults.reseed();
	}

	/** Stops listening and destroys every open socket, stalled ones included. */
	close() {
		this.#closing ??= new Promise((resolve) => {
			this.#server.close(() => resolve());
			for (const timer of this.#timers) clearTimeout(timer);
			this.#timers.clear();
			for (const socket of this.#sockets) socket.destroy();
		});
		return this.#closing;
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async #handle(req, res) {
		const raw = await readBody(req);
		const url = new URL(req.url ?? '/', 'http://sandbox');
		const method = (req.method ?? 'GET').toUpperCase();
		if (url.pathname.startsWith(CONTROL_PREFIX)) {
			sendReply(res, this.#control(method, url.pathname, raw));
			return;
		}
		const { parsed, value } = parseBody(url.pathname, raw);
		/** @type {Exchange} */
		const exchange = {
			method,
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			bodyParsed: parsed,
			body: value,
		};
		if (method === 'POST' && exchange.path === TOKEN_PATH) this.#store.tokenRequests += 1;
		const record = this.#options.recordRequests ? this.#record(exchange) : undefined;
		const outcome = await this.#serveApi(exchange, res);
		if (record) record.outcome = outcome;
	}

	/** @param {Exchange} exchange @param {http.ServerResponse} res @returns {Promise<string>} the outcome */
	async #serveApi(exchange, res) {
		const fault = this.#faults.select(exchange);
		if (fault?.kind === 'latency') await this.#wait(fault.delayMs ?? 0);
		if (fault?.kind === 'expireToken')
			this.#store.tokens.delete(bearerToken(exchange.headers.authorization) ?? '');
		const respondWithFault = fault ? FAULT_RESPONSES[fault.kind] : undefined;
		if (fault && respondWithFault) {
			// afterProcessing: the work is done, only the response is lost or garbled.
			if (fault.afterProcessing) routeApi(this.#store, exchange);
			respondWithFault(res, fault, exchange);
			return fault.kind;
		}
		const reply = routeApi(this.#store, exchange);
		sendReply(res, reply);
		return reply.status === 200 ? 'ok' : String(reply.status);
	}

	/** @param {Exchange} exchange */
	#record(exchange) {
		/** @type {RecordedRequest} */
		const record = {
			method: exchange.method,
			path: exchange.path,
			query: Object.fromEntries(exchange.query),
			headers: { ...exchange.headers },
			body: exchange.body,
			at: Date.now(),
			outcome: 'pending',
		};
		this.#store.requests.push(record);
		return record;
	}

	/** @param {string} method @param {string} path @param {string} raw @returns {Reply} */
	#control(method, path, raw) {
		const handler = CONTROL_ROUTES[`${method} ${path}`];
		if (!handler) return json(404, { error: `Unknown sandbox control route: ${method} ${path}` });
		const { parsed, value } = parseBody(path, raw);
		if (raw !== '' && !parsed) return json(400, { error: 'Malformed JSON request' });
		try {
			return handler(this, this.#store, value);
		} catch (error) {
			if (error instanceof ApiProblem) return json(400, { error: error.message });
			throw error;
		}
	}

	/** A delay that close() cancels. @param {number} ms */
	#wait(ms) {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.#timers.delete(timer);
				resolve(undefined);
			}, ms);
			this.#timers.add(timer);
		});
	}
}

/** @typedef {EnkashSandbox} Sandbox */

/**
 * Starts a sandbox listening on `options.host`:`options.port`.
 * @param {SandboxOptions} [options] @returns {Promise<Sandbox>}
 */
function startSandbox(options = {}) {
	return EnkashSandbox.start(resolveOptions(options));
}

module.exports = { startSandbox };
