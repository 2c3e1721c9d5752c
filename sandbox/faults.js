// @ts-check
'use strict';

/** Faults injected per request: errors, resets, stalls, delays, garbage bodies. */

const http = require('node:http');
const { isDeepStrictEqual } = require('node:util');

const { ApiProblem, JSON_TYPE, TOKEN_PATH, isPlainObject } = require('./common');
const { envelope, envelopeFailure, sendReply, sendText } = require('./replies');
const { bearerToken } = require('./routes');

/** @typedef {import('./common').ActiveFault} ActiveFault */
/** @typedef {import('./common').Exchange} Exchange */
/** @typedef {import('./common').FaultMatch} FaultMatch */
/** @typedef {import('./common').FaultRule} FaultRule */

const MALFORMED_JSON = '{"response_code":0,"respo';
const BAD_GATEWAY_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** @param {unknown} value */
const isString = (value) => typeof value === 'string';

/** @param {unknown} value */
const isPositiveInteger = (value) =>
	typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

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
		const bearer = bearerToken(exchange.headers.authorization) ?? '';
		const body = (fault.body ?? '').replaceAll('{{bearer}}', () => bearer);
		sendText(res, fault.status ?? 200, fault.contentType ?? JSON_TYPE, body, fault.headers);
	},
};

const FAULT_KINDS = [...Object.keys(FAULT_RESPONSES), 'latency'];

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
	headers: (value) => isPlainObject(value) && Object.values(value).every(isString),
	afterProcessing: (value) => typeof value === 'boolean',
	times: isPositiveInteger,
	every: isPositiveInteger,
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
	if (exchange.path === TOKEN_PATH && match.path === undefined) return false;
	if (match.method !== undefined && match.method.toUpperCase() !== exchange.method) return false;
	if (match.path !== undefined && match.path !== exchange.path) return false;
	if (match.body !== undefined && !bodyMatches(match.body, exchange.body)) return false;
	return true;
}

/** @param {Record<string, unknown>} expected @param {unknown} body */
const bodyMatches = (expected, body) =>
	isPlainObject(body) &&
	Object.entries(expected).every(([key, value]) => isDeepStrictEqual(body[key], value));

class FaultInjector {
	/** @type {ActiveFault[]} */
	rules = [];

	/** @param {unknown[]} rules */
	replace(rules) {
		this.rules = rules.map((rule) => ({ ...validateRule(rule), matched: 0, applied: 0 }));
	}

	/** @param {unknown} rule */
	add(rule) {
		this.rules.push({ ...validateRule(rule), matched: 0, applied: 0 });
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

	/** `every` filters matches; `times` caps how often the rule applies. @param {ActiveFault} rule */
	selects(rule) {
		if (rule.times !== undefined && rule.applied >= rule.times) return false;
		return rule.every === undefined || rule.matched % rule.every === 0;
	}
}

module.exports = { FAULT_RESPONSES, FaultInjector };
