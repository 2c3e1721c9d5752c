// @ts-check
'use strict';

/** The API routes, the token endpoint and the control API under /__sandbox/. */

const http = require('node:http');

const { ApiProblem, decodePathSegment, isPlainObject, randomHex } = require('./common');
const { json, oauthError, problemReply, springError, success } = require('./replies');

/** @typedef {import('./common').EventSeed} EventSeed */
/** @typedef {import('./common').Exchange} Exchange */
/** @typedef {import('./common').FaultRule} FaultRule */
/** @typedef {import('./common').Reply} Reply */
/** @typedef {import('./common').Route} Route */
/** @typedef {import('./common').RouteRequest} RouteRequest */
/** @typedef {import('./store').Store} Store */
/** @typedef {import('./enkash-sandbox').Sandbox} EnkashSandbox */

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
			allocations: store.allocations.size,
			requests: store.requests.length,
			tokenRequests: store.tokenRequests,
			rateLimited: store.rateLimited,
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

module.exports = { CONTROL_ROUTES, bearerToken, routeApi };
