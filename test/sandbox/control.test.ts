/** Request recording and the control API under /__sandbox/. */
import { ALLOCATE, ALLOCATION, BALANCE, REFERRAL } from './api';
import { call, passwordGrant, sandbox, token, withSandbox } from './client';
import { COMPANY_ID, EVENT_NAME } from '../helpers/fixtures';

describe('Request recording', () => {
	it('records API requests with method, path, query, headers, body, time, client port and outcome', async () => {
		const before = Date.now();
		await call(`${BALANCE}?userId=EK1`, { headers: { 'X-Trace': 'abc' } });
		await call(ALLOCATE, { body: ALLOCATION });

		expect(sandbox.requests).toEqual([
			{
				method: 'GET',
				path: BALANCE,
				query: { userId: 'EK1' },
				headers: expect.objectContaining({ authorization: `Bearer ${token}`, 'x-trace': 'abc' }),
				body: undefined,
				at: expect.any(Number),
				remotePort: expect.any(Number),
				outcome: 'ok',
			},
			expect.objectContaining({
				method: 'POST',
				path: ALLOCATE,
				query: {},
				body: ALLOCATION,
				outcome: 'ok',
			}),
		]);
		expect(sandbox.requests[0].at).toBeGreaterThanOrEqual(before);
	});

	it('records non-200 outcomes as the status code', async () => {
		await call(`${BALANCE}?userId=EK1`, { token: null });

		expect(sandbox.requests[0].outcome).toBe('401');
	});

	it('records the token request form and unparsable bodies as raw text', async () => {
		await passwordGrant();
		await call(ALLOCATE, { method: 'POST', body: '{oops' });

		const { clientId, username, password } = sandbox.credentials;
		expect(sandbox.requests[0].body).toEqual({
			username,
			password,
			grant_type: 'password',
			clientId,
		});
		expect(sandbox.requests[1].body).toBe('{oops');
	});

	it('does not record control requests', async () => {
		await fetch(`${sandbox.url}/__sandbox/state`);

		expect(sandbox.requests).toEqual([]);
	});

	it('can be switched off with recordRequests: false', async () => {
		await withSandbox({ recordRequests: false }, async (other) => {
			await call(`${BALANCE}?userId=EK1`, { token: other.issueToken() }, other);

			expect(other.requests).toEqual([]);
		});
	});
});

describe('Control API (/__sandbox/)', () => {
	const control = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${sandbox.url}/__sandbox/${path}`, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
	};

	it('GET state summarises the sandbox', async () => {
		const { coinConfigId } = sandbox.createEvent({ ...REFERRAL, amount: 50 });
		await call(ALLOCATE, { body: ALLOCATION });
		await passwordGrant();

		const state = await control('GET', 'state');

		expect(state.status).toBe(200);
		expect(state.json).toEqual({
			events: [{ coinConfigId, configuration: 'DEFAULT', ...REFERRAL, amount: 50 }],
			balances: { [ALLOCATION.userId]: 50 },
			allocations: 1,
			requests: 2,
			tokenRequests: 1,
			rateLimited: 0,
		});
	});

	it('GET requests lists the recorded requests', async () => {
		await call(`${BALANCE}?userId=EK1`);

		const { json } = await control('GET', 'requests');

		expect(json).toEqual([
			expect.objectContaining({ method: 'GET', path: BALANCE, outcome: 'ok' }),
		]);
	});

	it('POST faults replaces the rules (one rule or an array); GET lists them; DELETE clears them', async () => {
		sandbox.addFault({ kind: 'html' });

		const single = await control('POST', 'faults', { kind: 'status', status: 500 });
		expect(single.json).toEqual([{ kind: 'status', status: 500, matched: 0, applied: 0 }]);
		expect((await call(`${BALANCE}?userId=EK1`)).status).toBe(500);

		await control('POST', 'faults', [{ kind: 'empty', times: 1 }, { kind: 'malformed' }]);
		expect((await control('GET', 'faults')).json).toEqual([
			{ kind: 'empty', times: 1, matched: 0, applied: 0 },
			{ kind: 'malformed', matched: 0, applied: 0 },
		]);

		expect((await control('DELETE', 'faults')).status).toBe(204);
		expect(sandbox.faults()).toEqual([]);
	});

	it('POST faults answers 400 for an invalid rule and keeps the old rules', async () => {
		sandbox.addFault({ kind: 'html' });

		const answer = await control('POST', 'faults', [{ kind: 'status' }, { kind: 'nope' }]);

		expect(answer.status).toBe(400);
		expect(answer.json.error).toMatch(/kind/);
		expect(sandbox.faults()).toEqual([{ kind: 'html', matched: 0, applied: 0 }]);
	});

	it('POST reset clears the state', async () => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });

		expect((await control('POST', 'reset')).status).toBe(204);
		expect(sandbox.events()).toEqual([]);
		expect((await call(`${BALANCE}?userId=EK1`)).status).toBe(401);
	});

	it('POST token issues a usable access token', async () => {
		const { json } = await control('POST', 'token');

		expect((await call(`${BALANCE}?userId=EK1`, { token: json.access_token })).status).toBe(200);
	});

	it('POST expire-tokens invalidates every token', async () => {
		await control('POST', 'expire-tokens');

		expect((await call(`${BALANCE}?userId=EK1`)).status).toBe(401);
	});

	it('POST events seeds an event (configuration defaults to DEFAULT)', async () => {
		const answer = await control('POST', 'events', { ...REFERRAL, amount: 50 });

		expect(answer.json).toEqual({
			coinConfigId: 'WCC100001',
			configuration: 'DEFAULT',
			...REFERRAL,
			amount: 50,
		});
		expect(sandbox.events()).toEqual([answer.json]);
	});

	it('POST events answers 400 for invalid or duplicate events', async () => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });

		expect(await control('POST', 'events', { ...REFERRAL, amount: 5 })).toEqual({
			status: 400,
			json: {
				error: `Coin configuration already exists for event ${EVENT_NAME} of company ${COMPANY_ID}`,
			},
		});
		expect((await control('POST', 'events', { ...REFERRAL, event: 'X', amount: -1 })).status).toBe(
			400,
		);
	});

	it('answers 404 for unknown control routes', async () => {
		expect((await control('GET', 'nothing')).status).toBe(404);
	});
});
