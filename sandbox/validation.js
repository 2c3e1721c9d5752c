// @ts-check
'use strict';

/** Validation of request bodies, as the vendor API does it. */

const { ApiProblem, CONFIGURATIONS } = require('./common');

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

module.exports = { validateFields };
