import { describeFailure, normalizeBaseUrl } from '../../../../nodes/EnkashCoins/shared/transport';
import { EnkashTokenError } from '../../../../nodes/EnkashCoins/shared/token-error';

/** How n8n hands a failed request to a node: its own error wrapping the HTTP client's. */
function wrapped(cause: object) {
	return Object.assign(new Error('n8n wrapper'), { cause });
}

describe('describeFailure', () => {
	it('reads the status, body and Retry-After of an HTTP failure, however deep it is wrapped', () => {
		const failure = describeFailure(
			wrapped(wrapped({ response: { status: 429, headers: { 'retry-after': '2' }, data: { response_code: 429 } } })),
		);

		expect(failure).toMatchObject({ status: 429, retryAfterMs: 2000, body: { response_code: 429 }, tokenRejected: false });
	});

	it('reads the code of a network failure', () => {
		expect(describeFailure(wrapped({ code: 'ECONNRESET', message: 'socket hang up' }))).toMatchObject({
			status: undefined,
			networkCode: 'ECONNRESET',
		});
	});

	it('recognises a refused token request and keeps its message', () => {
		const failure = describeFailure(wrapped(new EnkashTokenError('Enkash refused the token request (HTTP 400: Bad credentials)')));

		expect(failure).toMatchObject({
			tokenRejected: true,
			message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
		});
	});

	it('falls back to the error message for anything else', () => {
		expect(describeFailure(new Error('something odd'))).toMatchObject({ message: 'something odd', tokenRejected: false });
		expect(describeFailure('a string')).toMatchObject({ message: 'a string' });
	});
});

describe('normalizeBaseUrl', () => {
	it.each([
		['https://pay-uat.enkash.in', 'https://pay-uat.enkash.in'],
		['https://pay-uat.enkash.in/', 'https://pay-uat.enkash.in'],
		[' https://pay.enkash.in/gateway// ', 'https://pay.enkash.in/gateway'],
	])('%p becomes %p', (given, expected) => {
		expect(normalizeBaseUrl(given)).toBe(expected);
	});
});
