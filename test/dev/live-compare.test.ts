import { REDACTED, compareAnswers, redact, shapeDifferences } from '../../dev/live-compare';

const JSON_TYPE = { 'content-type': 'application/json' };
const balance = (payload: unknown) => ({ response_code: 0, response_message: 'Success', payload });

describe('comparing an answer of Enkash with the sandbox’s', () => {
	it('finds nothing when only values differ', () => {
		const target = {
			status: 200,
			headers: { 'content-type': 'application/json;charset=UTF-8' },
			body: balance({ coinConfigId: 'WCC024845', amount: 10, tags: ['a'] }),
		};
		const reference = {
			status: 200,
			headers: JSON_TYPE,
			body: balance({ coinConfigId: 'WCC100001', amount: 6, tags: ['b', 'c'] }),
		};

		expect(compareAnswers(target, reference)).toEqual([]);
	});

	it('names a different status, media type, Retry-After and envelope', () => {
		const target = {
			status: 200,
			headers: { 'content-type': 'text/html' },
			body: { code: 1, message: 'Too many requests' },
		};
		const reference = {
			status: 429,
			headers: { ...JSON_TYPE, 'retry-after': '1' },
			body: { response_code: 429, response_message: 'Too many requests', payload: null },
		};

		expect(compareAnswers(target, reference)).toEqual([
			'status: 200 from Enkash, 429 from the sandbox',
			'content type: "text/html" from Enkash, "application/json" from the sandbox',
			'Retry-After: not sent by Enkash, sent by the sandbox',
			'envelope field code: only from Enkash',
			'envelope field message: only from Enkash',
			'envelope field response_code: only from the sandbox',
			'envelope field response_message: only from the sandbox',
			'envelope field payload: only from the sandbox',
		]);
	});

	it('names each field of another type or missing, however deep', () => {
		const target = balance({ amount: '10', rule: { days: 30 }, items: [{ id: 1 }] });
		const reference = balance({ amount: 10, rule: { days: 30, cap: 5 }, items: [{ id: 'x' }] });

		expect(shapeDifferences(target, reference)).toEqual([
			'type of payload.amount: string from Enkash, number from the sandbox',
			'field payload.rule.cap: only from the sandbox',
			'type of payload.items[0].id: number from Enkash, string from the sandbox',
		]);
	});

	it('tells a body that is not JSON from an envelope', () => {
		expect(shapeDifferences('<html>Bad Gateway</html>', balance(0))).toEqual([
			'type of the body: string from Enkash, object from the sandbox',
		]);
		expect(shapeDifferences(balance(null), balance(0))).toEqual([
			'type of payload: null from Enkash, number from the sandbox',
		]);
	});
});

describe('what the live check records and prints', () => {
	it('hides tokens, the login and the credentials of an Authorization header', () => {
		const recorded = {
			headers: { authorization: 'Basic bGl2ZTpzZWNyZXQ=', accept: 'application/json' },
			form: {
				username: 'api@shop.in',
				password: 'hunter22',
				clientId: 'live',
				grant_type: 'password',
			},
			answer: { accessToken: 'tok-1', refresh_token: 'ref-1', expires_in: 300 },
		};

		expect(redact(recorded, [])).toEqual({
			headers: { authorization: `Basic ${REDACTED}`, accept: 'application/json' },
			form: { username: REDACTED, password: REDACTED, clientId: REDACTED, grant_type: 'password' },
			answer: { accessToken: REDACTED, refresh_token: REDACTED, expires_in: 300 },
		});
	});

	it('hides a secret wherever a string repeats it', () => {
		const echoed = { error: 'invalid_token', error_description: 'Invalid access token: abc123ef' };

		expect(redact([echoed], ['abc123ef'])).toEqual([
			{ error: 'invalid_token', error_description: `Invalid access token: ${REDACTED}` },
		]);
	});
});
