// @ts-check
'use strict';

/**
 * In-memory simulator ("sandbox") of the Enkash Coins Point Management API and
 * its OAuth password-grant token endpoint, served over HTTP for tests, demos and
 * benchmarks. Faults (errors, resets, stalls, garbage bodies...) can be injected
 * per request, and a small control API under /__sandbox/ drives it from outside.
 */

const { once } = require('node:events');
const http = require('node:http');
const { text } = require('node:stream/consumers');

const { ApiProblem, TOKEN_PATH } = require('./common');
const { json, sendReply, springError } = require('./replies');
const { Store } = require('./store');
const { FAULT_RESPONSES, FaultInjector } = require('./faults');
const { CONTROL_ROUTES, routeApi } = require('./routes');
const { TokenBucket } = require('./rate-limit');

/** @typedef {import('./common').ActiveFault} ActiveFault */
/** @typedef {import('./common').EventSeed} EventSeed */
/** @typedef {import('./common').Exchange} Exchange */
/** @typedef {import('./common').FaultRule} FaultRule */
/** @typedef {import('./common').RecordedRequest} RecordedRequest */
/** @typedef {import('./common').Reply} Reply */
/** @typedef {import('./common').ResolvedOptions} ResolvedOptions */
/** @typedef {import('./common').SandboxOptions} SandboxOptions */

const CONTROL_PREFIX = '/__sandbox/';

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
		port: options.port ?? 0,
		clientId: options.clientId ?? 'sandbox-client',
		clientSecret: options.clientSecret ?? 'sandbox-client-secret',
		username: options.username ?? 'loyalty-admin@example.com',
		password: options.password ?? 'sandbox-password',
		tokenTtlSeconds: options.tokenTtlSeconds ?? 300,
		tokenMaxUses: options.tokenMaxUses ?? Infinity,
		recordRequests: options.recordRequests ?? true,
		latencyMs: options.latencyMs ?? 0,
		rateLimit: options.rateLimit ?? null,
	};
}

/** A running sandbox; obtain one with startSandbox(). */
class EnkashSandbox {
	#options;
	#store;
	#faults;
	/** @type {TokenBucket | undefined} */
	#rateLimit;
	#server;
	/** @type {Set<NodeJS.Timeout>} */
	#timers = new Set();
	/** @type {Promise<void> | undefined} */
	#closing;
	/** The password the sandbox started with, which reset() restores. */
	#firstPassword;

	/** @param {ResolvedOptions} options */
	constructor(options) {
		this.#options = options;
		this.#firstPassword = options.password;
		this.#store = new Store(options);
		this.#faults = new FaultInjector();
		this.#rateLimit = options.rateLimit ? new TokenBucket(options.rateLimit) : undefined;
		this.#server = http.createServer((req, res) => {
			this.#handle(req, res).catch(() => {
				if (res.headersSent) res.destroy();
				else sendReply(res, springError(500, 'Internal Server Error', req.url ?? '/'));
			});
		});
		this.url = '';
	}

	/** @param {ResolvedOptions} options */
	static async start(options) {
		const sandbox = new EnkashSandbox(options);
		const server = sandbox.#server;
		server.listen(options.port, '127.0.0.1');
		await once(server, 'listening');
		const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
		sandbox.url = `http://127.0.0.1:${port}`;
		return sandbox;
	}

	/** The OAuth client and the API user's login, as of now. */
	get credentials() {
		const { clientId, clientSecret, username, password } = this.#options;
		return { clientId, clientSecret, username, password };
	}

	/** Recorded API requests since the start or the last reset(). */
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

	/**
	 * Sets users' balances, as spending coins in Enkash's own apps would (the
	 * API has no call that lowers a balance).
	 * @param {Record<string, number>} balances by user ID
	 */
	setBalances(balances) {
		for (const [userId, balance] of Object.entries(balances))
			this.#store.balances.set(userId, balance);
	}

	events() {
		return this.#store.listEvents();
	}

	allocations() {
		return [...this.#store.allocations.values()].map((allocation) => ({ ...allocation }));
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

	/**
	 * Changes the API user's password, as an administrator or a rotation policy
	 * at Enkash would; tokens already issued stay valid until they expire.
	 * @param {string} password
	 */
	changePassword(password) {
		this.#options.password = password;
	}

	/**
	 * Whether Enkash has locked the user's account (after 3 refused logins in a row).
	 * @param {string} [username]
	 */
	isLocked(username = this.#options.username) {
		return this.#store.isLocked(username);
	}

	/**
	 * Unlocks the user's account, as Enkash's support does on request.
	 * @param {string} [username]
	 */
	unlockAccount(username = this.#options.username) {
		this.#store.failedLogins.delete(username);
	}

	reset() {
		this.#options.password = this.#firstPassword;
		this.#store = new Store(this.#options);
		this.#faults = new FaultInjector();
	}

	/** Stops listening and destroys every open socket, stalled ones included. */
	close() {
		this.#closing ??= new Promise((resolve) => {
			this.#server.close(() => resolve());
			for (const timer of this.#timers) clearTimeout(timer);
			this.#timers.clear();
			this.#server.closeAllConnections();
		});
		return this.#closing;
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async #handle(req, res) {
		const raw = await text(req);
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
		const record = this.#options.recordRequests
			? this.#record(exchange, req.socket.remotePort)
			: undefined;
		const outcome = await this.#serveApi(exchange, res);
		if (record) record.outcome = outcome;
	}

	/** @param {Exchange} exchange @param {http.ServerResponse} res @returns {Promise<string>} the outcome */
	async #serveApi(exchange, res) {
		if (this.#options.latencyMs > 0) await this.#wait(this.#options.latencyMs);
		const throttledFor = exchange.path === TOKEN_PATH ? 0 : (this.#rateLimit?.take() ?? 0);
		if (throttledFor > 0) {
			this.#store.rateLimited += 1;
			const retryAfter = Math.ceil(throttledFor);
			const tooMany = { kind: 'status', status: 429, retryAfter, message: 'Too many requests' };
			FAULT_RESPONSES.status(res, /** @type {FaultRule} */ (tooMany), exchange);
			return 'rateLimited';
		}
		const fault = this.#faults.select(exchange);
		if (fault?.kind === 'latency') await this.#wait(fault.delayMs ?? 0);
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

	/** @param {Exchange} exchange @param {number | undefined} remotePort */
	#record(exchange, remotePort) {
		/** @type {RecordedRequest} */
		const record = {
			method: exchange.method,
			path: exchange.path,
			query: Object.fromEntries(exchange.query),
			headers: { ...exchange.headers },
			body: exchange.body,
			at: Date.now(),
			remotePort,
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
 * Starts a sandbox listening on 127.0.0.1:`options.port`.
 * @param {SandboxOptions} [options] @returns {Promise<Sandbox>}
 */
function startSandbox(options = {}) {
	return EnkashSandbox.start(resolveOptions(options));
}

module.exports = { startSandbox };
