import {
	classifyTokenFailure,
	retryAfterMsOf,
	type TokenAttempt,
} from '../../../credentials/common/token-answer';

const TOKEN_URL = 'https://pay-uat.enkash.in/oauth/token';
const answer = (status: number, body?: unknown, headers = {}): TokenAttempt => ({
	tokenUrl: TOKEN_URL,
	status,
	body,
	headers,
});
const BAD_CREDENTIALS = { error: 'invalid_grant', error_description: 'Bad credentials' };
const GATEWAY_PAGE = '<html><body><h1>403 Forbidden</h1></body></html>';

describe("classifyTokenFailure: each answer of Enkash's token endpoint as what it is", () => {
	it.each<[string, TokenAttempt, string]>([
		[
			'400 invalid_grant, Bad credentials',
			answer(400, BAD_CREDENTIALS),
			'Enkash refused the token request (HTTP 400: Bad credentials)',
		],
		[
			'the same answer left as text by n8n',
			answer(400, JSON.stringify(BAD_CREDENTIALS)),
			'Enkash refused the token request (HTTP 400: Bad credentials)',
		],
		[
			'401 invalid_client',
			answer(401, { error: 'invalid_client', error_description: 'Bad client credentials' }),
			'Enkash refused the token request (HTTP 401: Bad client credentials)',
		],
		[
			'401 with a body that is not JSON: counted as a refusal, to be safe',
			answer(401, 'Unauthorized'),
			'Enkash refused the token request (HTTP 401)',
		],
		[
			'403 in OAuth2 words',
			answer(403, { error: 'access_denied' }),
			'Enkash refused the token request (HTTP 403: access_denied)',
		],
	])('the login is wrong: %s', (_, attempt, message) => {
		expect(classifyTokenFailure(attempt)).toEqual({
			kind: 'refused',
			message,
			advice: expect.stringMatching(/^Correct the .* in the credential and Save\./),
		});
	});

	it('names the values to check: the client for invalid_client, the user for invalid_grant', () => {
		expect(classifyTokenFailure(answer(401, { error: 'invalid_client' })).advice).toMatch(
			/^Correct the Client ID or Client Secret/,
		);
		expect(classifyTokenFailure(answer(400, BAD_CREDENTIALS)).advice).toMatch(
			/^Correct the Username or Password/,
		);
	});

	it.each([
		['User account is locked', 400],
		['User is disabled', 400],
		['User account is locked', 401],
	])('the account is locked: %s (HTTP %d)', (description, status) => {
		expect(
			classifyTokenFailure(
				answer(status, { error: 'invalid_grant', error_description: description }),
			),
		).toEqual({
			kind: 'locked',
			message: `Enkash has locked the account (HTTP ${status}: ${description})`,
			advice: 'Ask Enkash to unlock the API user’s account.',
		});
	});

	it.each([
		['without Retry-After', {}, undefined],
		['with Retry-After in seconds', { 'retry-after': '7' }, 7000],
	])('throttled: 429 %s', (_, headers, retryAfterMs) => {
		expect(classifyTokenFailure(answer(429, { message: 'Too Many Requests' }, headers))).toEqual({
			kind: 'throttled',
			message: "Enkash's token endpoint is throttling requests (HTTP 429: Too Many Requests)",
			advice: expect.stringMatching(/^The login was not refused/),
			retryAfterMs,
		});
	});

	it.each<[string, TokenAttempt, string]>([
		['404', answer(404, { error: 'Not Found' }), `${TOKEN_URL} answered HTTP 404: Not Found`],
		['405', answer(405, ''), `${TOKEN_URL} answered HTTP 405`],
		['an HTML page', answer(418, '<html></html>'), `${TOKEN_URL} answered HTTP 418`],
		[
			"a gateway's 403 page",
			answer(403, GATEWAY_PAGE),
			`${TOKEN_URL} answered HTTP 403 (a gateway or firewall in front of Enkash?)`,
		],
	])('a wrong address: %s', (_, attempt, start) => {
		const failure = classifyTokenFailure(attempt);
		expect(failure).toEqual({
			kind: 'wrongAddress',
			message: `${start}: it did not answer as Enkash's token endpoint`,
			advice: expect.stringMatching(/^The login was not refused\. Check the credential’s Base URL/),
		});
	});

	it.each<[string, TokenAttempt, string]>([
		['503', answer(503, { message: 'down' }), "Enkash's token endpoint failed (HTTP 503: down)"],
		['502 page', answer(502, '<html>502</html>'), "Enkash's token endpoint failed (HTTP 502)"],
		[
			'connection refused',
			{ tokenUrl: TOKEN_URL, networkFailure: 'ECONNREFUSED' },
			"Enkash's token endpoint could not be reached (connection refused)",
		],
		[
			'a timeout',
			{ tokenUrl: TOKEN_URL, networkFailure: 'ECONNABORTED' },
			"Enkash's token endpoint could not be reached (no answer within 30 s)",
		],
		[
			'a 200 without a token',
			{ tokenUrl: TOKEN_URL, unusableAnswer: 'answered without an access_token' },
			"Enkash's token endpoint answered without an access_token",
		],
	])('Enkash unavailable: %s', (_, attempt, message) => {
		expect(classifyTokenFailure(attempt)).toEqual({
			kind: 'unavailable',
			message,
			advice: expect.stringMatching(
				/^The login was not refused: nothing counts towards the lockout/,
			),
		});
	});

	it("a wrong address: Spring's 401 for a path that is not its token endpoint, never a refusal", () => {
		const attempt = answer(401, {
			error: 'unauthorized',
			error_description: 'Full authentication is required to access this resource',
		});
		expect(classifyTokenFailure(attempt)).toEqual({
			kind: 'wrongAddress',
			message: `${TOKEN_URL} answered HTTP 401: Full authentication is required to access this resource: that is not Enkash's token endpoint, so the Token URL (or the Base URL) is wrong`,
			advice: expect.stringMatching(/^The login was not refused\. Check the credential’s Base URL/),
		});
	});
});

describe('retryAfterMsOf', () => {
	it('reads seconds and HTTP dates, and nothing else', () => {
		const now = Date.parse('2026-12-01T10:00:00Z');
		expect(retryAfterMsOf('12', now)).toBe(12_000);
		expect(retryAfterMsOf('Tue, 01 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
		expect(retryAfterMsOf('soon', now)).toBeUndefined();
		expect(retryAfterMsOf(undefined, now)).toBeUndefined();
	});
});
