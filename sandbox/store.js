// @ts-check
'use strict';

const { ApiProblem, randomHex } = require('./common');

/** @typedef {import('./common').Allocation} Allocation */
/** @typedef {import('./common').CoinEvent} CoinEvent */
/** @typedef {import('./common').RecordedRequest} RecordedRequest */
/** @typedef {import('./common').ResolvedOptions} ResolvedOptions */

const CONFIGURATIONS = ['DEFAULT', 'CUSTOM'];
const MAX_FAILED_LOGINS = 3;
const FIRST_CONFIG_NUMBER = 100001;
const EVENT_FIELDS = ['configuration', 'companyId', 'event', 'amount'];
const ALLOCATION_FIELDS = ['companyId', 'event', 'requestId', 'userId'];

/** @param {string} companyId @param {string} event */
const eventKey = (companyId, event) => `${companyId}\u0000${event}`;

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
		/** @type {Map<string, Allocation>} by requestId, in credit order */
		this.allocations = new Map();
		/** @type {Map<string, { expiresAt: number, uses: number }>} */
		this.tokens = new Map();
		/** @type {Map<string, number>} consecutive failed logins by username */
		this.failedLogins = new Map();
		/** @type {RecordedRequest[]} */
		this.requests = [];
		this.tokenRequests = 0;
		/** API requests answered 429 by the rate limit */
		this.rateLimited = 0;
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

	/** @param {string} username */
	isLocked(username) {
		return (this.failedLogins.get(username) ?? 0) >= MAX_FAILED_LOGINS;
	}

	/** @param {string} username @param {string} password @returns {'accepted' | 'rejected' | 'locked'} */
	login(username, password) {
		const failures = this.failedLogins.get(username) ?? 0;
		if (this.isLocked(username)) return 'locked';
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
		const previous = this.allocations.get(request.requestId);
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
		this.allocations.set(allocation.requestId, allocation);
		this.balances.set(allocation.userId, this.balanceOf(allocation.userId) + allocation.amount);
	}

	/** @param {string} userId */
	balanceOf(userId) {
		return this.balances.get(userId) ?? 0;
	}
}

module.exports = { Store };
