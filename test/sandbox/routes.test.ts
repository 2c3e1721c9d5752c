/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: it runs under jest on Node, never inside n8n */
/** The vendor API and token endpoint as the sandbox serves them. */
import * as http from 'node:http';
import { sleep } from 'n8n-workflow';

import { ALLOCATE, ALLOCATION, BALANCE, CREATE, REFERRAL, envelope, eventPath } from './api';
import {
	balance,
	basic,
	call,
	passwordGrant,
	requestToken,
	sandbox,
	token,
	withSandbox,
} from './client';
import { COMPANY_ID, EVENT_NAME } from '../helpers/fixtures';

describe('POST /oauth/token (password grant)', () => {
	it('issues a bearer token that authenticates API calls', async () => {
		const answer = await passwordGrant();

		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.json).toEqual({
			access_token: expect.stringMatching(/^[0-9a-f]{32}$/),
			token_type: 'bearer',
			refresh_token: expect.stringMatching(/^[0-9a-f]{32}$/),
			expires_in: 300,
			scope: 'read write trust',
		});
		expect((await call(`${BALANCE}?userId=EK1`, { token: answer.json.access_token })).status).toBe(
			200,
		);
	});

	it('rejects missing or wrong client credentials with 401', async () => {
		const { clientId } = sandbox.credentials;
		const form = { ...sandbox.credentials, grant_type: 'password' };
		const answers = [
			await requestToken(form, ''),
			await requestToken(form, basic(clientId, 'wrong-secret')),
			await requestToken(form, `Bearer ${token}`),
		];

		for (const answer of answers) {
			expect(answer.status).toBe(401);
			expect(answer.json).toEqual({
				error: 'unauthorized',
				error_description: 'Bad client credentials',
			});
		}
	});

	it('rejects grant types other than password', async () => {
		const answer = await passwordGrant({ grant_type: 'refresh_token' });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error: 'unsupported_grant_type',
			error_description: 'Unsupported grant type: refresh_token',
		});
	});

	it('rejects a request without grant type', async () => {
		const answer = await requestToken({ ...sandbox.credentials });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error: 'invalid_request',
			error_description: 'Missing grant type',
		});
	});

	it('rejects a wrong password or an unknown user with 400 Bad credentials', async () => {
		const expected = { error: 'invalid_grant', error_description: 'Bad credentials' };

		for (const answer of [
			await passwordGrant({ password: 'wrong' }),
			await passwordGrant({ username: 'x@y.z' }),
		]) {
			expect(answer.status).toBe(400);
			expect(answer.json).toEqual(expected);
		}
	});

	it('locks the account after 3 consecutive failures, even for the right password', async () => {
		for (let attempt = 0; attempt < 3; attempt += 1) {
			expect((await passwordGrant({ password: 'wrong' })).json.error_description).toBe(
				'Bad credentials',
			);
		}

		const answer = await passwordGrant();

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error: 'invalid_grant',
			error_description: 'User account is locked',
		});
	});

	it('resets the failure count on success', async () => {
		await passwordGrant({ password: 'wrong' });
		await passwordGrant({ password: 'wrong' });
		expect((await passwordGrant()).status).toBe(200);
		await passwordGrant({ password: 'wrong' });
		await passwordGrant({ password: 'wrong' });

		expect((await passwordGrant()).status).toBe(200);
	});

	it('locks per username', async () => {
		for (let attempt = 0; attempt < 3; attempt += 1)
			await passwordGrant({ username: 'someone@else.com' });

		expect((await passwordGrant({ username: 'someone@else.com' })).json.error_description).toBe(
			'User account is locked',
		);
		expect((await passwordGrant()).status).toBe(200);
	});

	it('stays locked until reset()', async () => {
		for (let attempt = 0; attempt < 4; attempt += 1) await passwordGrant({ password: 'wrong' });
		sandbox.reset();

		expect((await passwordGrant()).status).toBe(200);
	});

	it('counts token requests, whatever their outcome', async () => {
		await passwordGrant();
		await passwordGrant({ password: 'wrong' });
		await call(`${BALANCE}?userId=EK1`);

		expect(sandbox.tokenRequestCount()).toBe(2);
	});
});

describe('Bearer authentication of /api routes', () => {
	it('answers 401 unauthorized without an Authorization header', async () => {
		const answer = await call(`${BALANCE}?userId=EK1`, { token: null });

		expect(answer.status).toBe(401);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.json).toEqual({
			error: 'unauthorized',
			error_description: 'Full authentication is required to access this resource',
		});
	});

	it('answers 401 unauthorized for a non-bearer scheme', async () => {
		const answer = await call(`${BALANCE}?userId=EK1`, {
			headers: { Authorization: basic('a', 'b') },
		});

		expect(answer.status).toBe(401);
		expect(answer.json.error).toBe('unauthorized');
	});

	it('answers 401 invalid_token echoing an unknown token', async () => {
		const answer = await call(`${BALANCE}?userId=EK1`, { token: 'not-a-token-123' });

		expect(answer.status).toBe(401);
		expect(answer.json).toEqual({
			error: 'invalid_token',
			error_description: 'Invalid access token: not-a-token-123',
		});
	});

	it('accepts the scheme in any case', async () => {
		const answer = await call(`${BALANCE}?userId=EK1`, {
			token: null,
			headers: { Authorization: `bEaReR ${token}` },
		});

		expect(answer.status).toBe(200);
	});

	it('accepts the header name in any case', async () => {
		// node:http sends header names exactly as written (fetch would lower-case them).
		const status = await new Promise<number | undefined>((resolve, reject) => {
			const request = http.request(`${sandbox.url}${BALANCE}?userId=EK1`, {
				headers: { AUTHORIZATION: `Bearer ${token}` },
			});
			request.on('response', (response) => {
				response.resume();
				resolve(response.statusCode);
			});
			request.on('error', reject);
			request.end();
		});

		expect(status).toBe(200);
	});

	it('rejects every token after expireAllTokens()', async () => {
		sandbox.expireAllTokens();

		const answer = await call(`${BALANCE}?userId=EK1`);

		expect(answer.status).toBe(401);
		expect(answer.json.error).toBe('invalid_token');
	});

	it('rejects a token once tokenTtlSeconds have passed', async () => {
		await withSandbox({ tokenTtlSeconds: 1 }, async (other) => {
			const shortLived = other.issueToken();
			expect((await call(`${BALANCE}?userId=EK1`, { token: shortLived }, other)).status).toBe(200);

			await sleep(1100);

			expect((await call(`${BALANCE}?userId=EK1`, { token: shortLived }, other)).status).toBe(401);
		});
	});

	it('rejects a token after tokenMaxUses authenticated requests', async () => {
		await withSandbox({ tokenMaxUses: 2 }, async (other) => {
			const limited = other.issueToken();
			const statuses = [];
			for (let use = 0; use < 3; use += 1) {
				statuses.push((await call(`${BALANCE}?userId=EK1`, { token: limited }, other)).status);
			}

			expect(statuses).toEqual([200, 200, 401]);
		});
	});

	it('ignores Cookie headers', async () => {
		const cookie = { Cookie: '_cfuvid=abc; JSESSIONID=DEF' };

		expect((await call(`${BALANCE}?userId=EK1`, { headers: cookie })).status).toBe(200);
		expect((await call(`${BALANCE}?userId=EK1`, { headers: cookie, token: null })).status).toBe(
			401,
		);
	});

	it('authenticates before routing: an unknown /api route without token is a 401', async () => {
		expect((await call('/api/v0/nothing-here', { token: null })).status).toBe(401);
	});
});

describe('POST /api/v0/enkash-coins/create-coins-config', () => {
	const body = { configuration: 'DEFAULT', ...REFERRAL, amount: 50 };

	it('creates an event with a sequential coinConfigId', async () => {
		const first = await call(CREATE, { body });
		const second = await call(CREATE, {
			body: { ...body, event: 'INVOICE_PAYMENT', configuration: 'CUSTOM' },
		});

		expect(first.status).toBe(200);
		expect(first.headers.get('content-type')).toBe('application/json');
		expect(first.json).toEqual(envelope(0, 'Success', { coinConfigId: 'WCC100001', ...body }));
		expect(second.json.payload.coinConfigId).toBe('WCC100002');
		expect(sandbox.events().map((event) => event.coinConfigId)).toEqual(['WCC100001', 'WCC100002']);
	});

	it('reports a duplicate companyId + event as an HTTP 200 envelope failure', async () => {
		await call(CREATE, { body });

		const duplicate = await call(CREATE, { body: { ...body, amount: 7 } });
		const otherCompany = await call(CREATE, { body: { ...body, companyId: 'CEKEKCARDS' } });

		const message = `Coin configuration already exists for event ${EVENT_NAME} of company ${COMPANY_ID}`;
		expect(duplicate.status).toBe(200);
		expect(duplicate.json).toEqual(envelope(1, message, message));
		expect(otherCompany.json.response_code).toBe(0);
	});

	it.each(['configuration', 'companyId', 'event', 'amount'])('requires %s (400)', async (field) => {
		const answer = await call(CREATE, { body: { ...body, [field]: undefined } });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, `${field} must not be blank`));
	});

	it.each(['companyId', 'event', 'configuration'])('rejects a blank %s (400)', async (field) => {
		const answer = await call(CREATE, { body: { ...body, [field]: '  ' } });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, `${field} must not be blank`));
	});

	it('rejects a non-string field (400)', async () => {
		const answer = await call(CREATE, { body: { ...body, companyId: 42 } });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, 'companyId must be a string'));
	});

	it.each([-1, 1.5, '10', true])('rejects amount %p (422)', async (amount) => {
		const answer = await call(CREATE, { body: { ...body, amount } });

		expect(answer.status).toBe(422);
		expect(answer.json).toEqual(envelope(422, 'amount must be a whole number of 0 or more'));
	});

	it('accepts amount 0', async () => {
		expect((await call(CREATE, { body: { ...body, amount: 0 } })).json.payload.amount).toBe(0);
	});

	it('rejects a configuration other than DEFAULT or CUSTOM (422)', async () => {
		const answer = await call(CREATE, { body: { ...body, configuration: 'default' } });

		expect(answer.status).toBe(422);
		expect(answer.json).toEqual(envelope(422, 'configuration must be DEFAULT or CUSTOM'));
	});

	it.each(['{"configuration":', '[1,2]', ''])(
		'rejects the body %p as malformed JSON (400)',
		async (text) => {
			const answer = await call(CREATE, { method: 'POST', body: text });

			expect(answer.status).toBe(400);
			expect(answer.json).toEqual(envelope(400, 'Malformed JSON request'));
		},
	);

	it('rejects a body that is not sent as application/json (415)', async () => {
		const answer = await call(CREATE, {
			body: JSON.stringify(body),
			headers: { 'Content-Type': 'text/plain' },
		});

		expect(answer.status).toBe(415);
		expect(answer.json).toMatchObject({
			status: 415,
			error: 'Unsupported Media Type',
			path: CREATE,
		});
		expect(sandbox.events()).toEqual([]);
	});
});

describe('GET /api/v0/enkash-coins/{coinConfigId}', () => {
	it('returns the event configuration', async () => {
		const created = sandbox.createEvent({ ...REFERRAL, amount: 50 });

		const answer = await call(eventPath(created.coinConfigId));

		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(
			envelope(0, 'Success', {
				coinConfigId: 'WCC100001',
				configuration: 'DEFAULT',
				...REFERRAL,
				amount: 50,
			}),
		);
	});

	it('answers 404 in an envelope for an unknown id', async () => {
		const answer = await call(eventPath('WCC999999'));

		expect(answer.status).toBe(404);
		expect(answer.json).toEqual(envelope(404, 'Coin configuration WCC999999 not found'));
	});
});

describe('PATCH /api/v0/enkash-coins/{coinConfigId}', () => {
	let coinConfigId: string;

	beforeEach(() => {
		({ coinConfigId } = sandbox.createEvent({ ...REFERRAL, amount: 50 }));
	});

	const patch = (body: unknown, id = coinConfigId) =>
		call(eventPath(id), { method: 'PATCH', body });

	it('changes only the fields given', async () => {
		const answer = await patch({ amount: 10, configuration: 'CUSTOM' });

		const expected = { coinConfigId, configuration: 'CUSTOM', ...REFERRAL, amount: 10 };
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(envelope(0, 'Success', expected));
		expect((await call(eventPath(coinConfigId))).json.payload).toEqual(expected);
	});

	it('can rename the event, which allocation then uses', async () => {
		await patch({ event: 'INVOICE_PAYMENT', amount: 6 });

		expect((await call(ALLOCATE, { body: ALLOCATION })).json.response_code).toBe(1);
		expect(
			(await call(ALLOCATE, { body: { ...ALLOCATION, event: 'INVOICE_PAYMENT' } })).json
				.response_code,
		).toBe(0);
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(6);
	});

	it('rejects an empty update (400)', async () => {
		const answer = await patch({});

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, 'Nothing to update'));
	});

	it('validates the fields given', async () => {
		expect((await patch({ amount: -5 })).json).toEqual(
			envelope(422, 'amount must be a whole number of 0 or more'),
		);
		expect((await patch({ event: '' })).json).toEqual(envelope(400, 'event must not be blank'));
		expect((await patch({ configuration: 'OTHER' })).status).toBe(422);
		expect(sandbox.events()[0].amount).toBe(50);
	});

	it('answers 404 for an unknown id', async () => {
		const answer = await patch({ amount: 1 }, 'WCC000000');

		expect(answer.status).toBe(404);
		expect(answer.json).toEqual(envelope(404, 'Coin configuration WCC000000 not found'));
	});

	it('refuses to rename onto an existing companyId + event (HTTP 200 envelope failure)', async () => {
		sandbox.createEvent({ ...REFERRAL, event: 'INVOICE_PAYMENT', amount: 6 });

		const answer = await patch({ event: 'INVOICE_PAYMENT' });

		const message = `Coin configuration already exists for event INVOICE_PAYMENT of company ${COMPANY_ID}`;
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(envelope(1, message, message));
	});
});

describe('POST /api/v0/enkash-coins/allocate-coin', () => {
	beforeEach(() => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });
	});

	it('credits the user with the configured amount', async () => {
		const answer = await call(ALLOCATE, { body: ALLOCATION });

		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({
			payload: 'Successfully allocated enkash Coins',
			response_code: 0,
			response_message: 'Success',
		});
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);
		expect(sandbox.allocations()).toEqual([{ ...ALLOCATION, amount: 50 }]);
	});

	it('is idempotent per requestId: a replay succeeds without crediting again', async () => {
		await call(ALLOCATE, { body: ALLOCATION });

		const replay = await call(ALLOCATE, { body: ALLOCATION });

		expect(replay.json.response_code).toBe(0);
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);
		expect(sandbox.allocations()).toHaveLength(1);
	});

	it('reports a reused requestId with a different body as an envelope failure', async () => {
		await call(ALLOCATE, { body: ALLOCATION });

		const answer = await call(ALLOCATE, { body: { ...ALLOCATION, userId: 'EK6CYE6K' } });

		const message = 'Duplicate requestId COIN_REQ1234567';
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(envelope(1, message, message));
		expect(sandbox.balanceOf('EK6CYE6K')).toBe(0);
	});

	it('reports an unknown event as an HTTP 200 envelope failure', async () => {
		const answer = await call(ALLOCATE, { body: { ...ALLOCATION, event: 'MEAL_CARD_PAYMENT' } });

		const message = `No coin configuration found for event MEAL_CARD_PAYMENT of company ${COMPANY_ID}`;
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(envelope(1, message, message));
		expect(sandbox.allocations()).toEqual([]);
	});

	it('lets a requestId that failed be used again once the event exists', async () => {
		await call(ALLOCATE, { body: { ...ALLOCATION, event: 'MEAL_CARD_PAYMENT' } });
		sandbox.createEvent({ ...REFERRAL, event: 'MEAL_CARD_PAYMENT', amount: 6 });

		expect(
			(await call(ALLOCATE, { body: { ...ALLOCATION, event: 'MEAL_CARD_PAYMENT' } })).json
				.response_code,
		).toBe(0);
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(6);
	});

	it.each(['companyId', 'event', 'requestId', 'userId'])('requires %s (400)', async (field) => {
		const answer = await call(ALLOCATE, { body: { ...ALLOCATION, [field]: '' } });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, `${field} must not be blank`));
	});

	it('lists allocations in credit order', async () => {
		sandbox.createEvent({ ...REFERRAL, event: 'INVOICE_PAYMENT', amount: 3 });
		await call(ALLOCATE, { body: { ...ALLOCATION, requestId: 'R1' } });
		await call(ALLOCATE, {
			body: { ...ALLOCATION, requestId: 'R2', event: 'INVOICE_PAYMENT', userId: 'EK2' },
		});

		expect(sandbox.allocations()).toEqual([
			{ ...ALLOCATION, requestId: 'R1', amount: 50 },
			{ ...ALLOCATION, requestId: 'R2', event: 'INVOICE_PAYMENT', userId: 'EK2', amount: 3 },
		]);
	});
});

describe('GET /api/v0/coins/balance', () => {
	it('is 0 for an unknown user', async () => {
		expect(await balance('NOBODY')).toEqual(envelope(0, 'Success', 0));
	});

	it('is the sum of the allocations credited to the user', async () => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });
		sandbox.createEvent({ ...REFERRAL, event: 'INVOICE_PAYMENT', amount: 6 });
		await call(ALLOCATE, { body: { ...ALLOCATION, requestId: 'R1' } });
		await call(ALLOCATE, { body: { ...ALLOCATION, requestId: 'R2', event: 'INVOICE_PAYMENT' } });

		expect((await balance(ALLOCATION.userId)).payload).toBe(56);
		expect((await balance('EK6CYE6K')).payload).toBe(0);
	});

	it.each([BALANCE, `${BALANCE}?userId=`, `${BALANCE}?userId=%20`])(
		'requires userId: %s (400)',
		async (path) => {
			const answer = await call(path);

			expect(answer.status).toBe(400);
			expect(answer.json).toEqual(envelope(400, 'userId must not be blank'));
		},
	);
});

describe('Unknown routes', () => {
	it('answer a Spring-style 404', async () => {
		const answer = await call('/api/v1/unknown');

		expect(answer.status).toBe(404);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.json).toEqual({
			timestamp: expect.any(String),
			status: 404,
			error: 'Not Found',
			path: '/api/v1/unknown',
		});
	});

	it('answer 405 for a known path with the wrong method', async () => {
		const answer = await call(eventPath('WCC100001'), { method: 'DELETE' });

		expect(answer.status).toBe(405);
		expect(answer.json).toMatchObject({ status: 405, error: 'Method Not Allowed' });
	});
});
