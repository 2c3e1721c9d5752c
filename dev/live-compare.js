// @ts-check
/**
 * What `npm run test:live` compares between an answer of Enkash and the
 * sandbox's answer to the same request, and how it hides secrets in what it
 * records and prints. Values differ by nature (ids, tokens, timestamps), so
 * bodies are compared by their shape: keys and value types.
 */

const REDACTED = '‹redacted›';
const SECRET_KEY = /^(access_?token|refresh_?token|password|client_?secret|client_?id|username)$/i;

/**
 * A copy with every secret hidden: values of secret keys, the credentials of
 * an Authorization header (its scheme is kept) and each of `secrets` wherever
 * it appears in a string (an API that echoes a rejected token).
 * @param {unknown} value @param {string[]} secrets @returns {any}
 */
function redact(value, secrets) {
	if (typeof value === 'string') {
		return secrets
			.filter((secret) => secret.length >= 4)
			.reduce((text, secret) => text.split(secret).join(REDACTED), value);
	}
	if (Array.isArray(value)) return value.map((entry) => redact(entry, secrets));
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, entry]) => {
			if (key.toLowerCase() === 'authorization' && typeof entry === 'string')
				return [key, `${entry.split(' ')[0]} ${REDACTED}`];
			if (SECRET_KEY.test(key) && entry !== null && entry !== '') return [key, REDACTED];
			return [key, redact(entry, secrets)];
		}),
	);
}

/** @param {unknown} value */
const typeOf = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * @typedef {object} Answer
 * @property {number} status
 * @property {Record<string, string>} headers lower-case names
 * @property {unknown} body parsed JSON, the text if it is not JSON
 */

/**
 * The differences in shape between two JSON values, with the path of each.
 * @param {unknown} target @param {unknown} reference @param {string} [path]
 * @returns {string[]}
 */
function shapeDifferences(target, reference, path = '') {
	const [type, otherType] = [typeOf(target), typeOf(reference)];
	if (type !== otherType)
		return [`type of ${path || 'the body'}: ${type} from Enkash, ${otherType} from the sandbox`];
	const [left, right] = /** @type {any[]} */ ([target, reference]);
	if (type === 'array')
		return left.length && right.length ? shapeDifferences(left[0], right[0], `${path}[0]`) : [];
	if (type !== 'object') return [];
	const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
	return keys.flatMap((key) => {
		const where = path ? `field ${path}.${key}` : `envelope field ${key}`;
		if (!(key in right)) return [`${where}: only from Enkash`];
		if (!(key in left)) return [`${where}: only from the sandbox`];
		return shapeDifferences(left[key], right[key], path ? `${path}.${key}` : key);
	});
}

/** @param {Answer} answer */
const mediaType = (answer) =>
	(answer.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/**
 * Every difference between Enkash's answer and the sandbox's: status, media
 * type, Retry-After's presence, envelope fields and the body's shape.
 * @param {Answer} target @param {Answer} reference @returns {string[]}
 */
function compareAnswers(target, reference) {
	const differences = [];
	if (target.status !== reference.status)
		differences.push(`status: ${target.status} from Enkash, ${reference.status} from the sandbox`);
	if (mediaType(target) !== mediaType(reference))
		differences.push(
			`content type: "${mediaType(target)}" from Enkash, "${mediaType(reference)}" from the sandbox`,
		);
	const retryAfter = [target, reference].map((answer) => 'retry-after' in answer.headers);
	if (retryAfter[0] !== retryAfter[1])
		differences.push(
			`Retry-After: ${retryAfter[0] ? 'sent' : 'not sent'} by Enkash, ${retryAfter[1] ? 'sent' : 'not sent'} by the sandbox`,
		);
	return [...differences, ...shapeDifferences(target.body, reference.body)];
}

/** @param {string} text @returns {unknown} */
function parseBody(text) {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

module.exports = { REDACTED, compareAnswers, parseBody, redact, shapeDifferences };
