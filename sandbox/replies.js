// @ts-check
'use strict';

/** The replies the sandbox sends: Enkash envelopes, OAuth and Spring-style errors. */

const http = require('node:http');

const { JSON_TYPE } = require('./common');

/** @typedef {import('./common').ApiProblem} ApiProblem */
/** @typedef {import('./common').Reply} Reply */

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

module.exports = {
	envelope,
	envelopeFailure,
	json,
	oauthError,
	problemReply,
	sendReply,
	sendText,
	springError,
	success,
};
