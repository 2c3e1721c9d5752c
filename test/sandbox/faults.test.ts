/** Faults injected per request. */
import { startSandbox, type Sandbox } from '../../sandbox/enkash-sandbox';

import { ALLOCATE, ALLOCATION, BALANCE, REFERRAL, envelope } from './api';
import { Call, call, passwordGrant, sandbox } from './client';

describe('Fault injection', () => {
	const getBalance = (options: Call = {}) => call(`${BALANCE}?userId=EK1`, options);

	describe('kind "status"', () => {
		it('answers with the status, an envelope and Retry-After', async () => {
			sandbox.addFault({
				kind: 'status',
				status: 429,
				retryAfter: 2,
				message: 'Too many requests',
			});

			const answer = await getBalance();

			expect(answer.status).toBe(429);
			expect(answer.headers.get('retry-after')).toBe('2');
			expect(answer.headers.get('content-type')).toBe('application/json');
			expect(answer.json).toEqual(envelope(429, 'Too many requests'));
		});

		it('defaults to 503 "Service unavailable" without Retry-After', async () => {
			sandbox.addFault({ kind: 'status' });

			const answer = await getBalance();

			expect(answer.status).toBe(503);
			expect(answer.headers.get('retry-after')).toBeNull();
			expect(answer.json).toEqual(envelope(503, 'Service unavailable'));
		});

		it('does not process the request', async () => {
			sandbox.createEvent({ ...REFERRAL, amount: 50 });
			sandbox.addFault({ kind: 'status', status: 500 });

			await call(ALLOCATE, { body: ALLOCATION });

			expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(0);
		});
	});

	it('kind "reset" destroys the connection without a response', async () => {
		sandbox.addFault({ kind: 'reset' });

		await expect(getBalance()).rejects.toThrow();
		expect(sandbox.requests[0].outcome).toBe('reset');
	});

	it('kind "stall" never answers', async () => {
		sandbox.addFault({ kind: 'stall' });

		await expect(getBalance({ signal: AbortSignal.timeout(300) })).rejects.toThrow(
			/abort|timeout/i,
		);
		expect(sandbox.requests[0].outcome).toBe('stall');
	});

	it('kind "latency" delays a normal answer by delayMs', async () => {
		sandbox.addFault({ kind: 'latency', delayMs: 200 });
		const started = Date.now();

		const answer = await getBalance();

		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(answer.json).toEqual(envelope(0, 'Success', 0));
		expect(sandbox.requests[0].outcome).toBe('ok');
	});

	it('kind "malformed" answers 200 with truncated JSON', async () => {
		sandbox.addFault({ kind: 'malformed' });

		const answer = await getBalance();

		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.text).toBe('{"response_code":0,"respo');
		expect(answer.json).toBeUndefined();
	});

	it('kind "html" answers 502 with an HTML error page', async () => {
		sandbox.addFault({ kind: 'html' });

		const answer = await getBalance();

		expect(answer.status).toBe(502);
		expect(answer.headers.get('content-type')).toBe('text/html');
		expect(answer.text).toContain('<h1>502 Bad Gateway</h1>');
	});

	it('kind "empty" answers 200 with an empty body', async () => {
		sandbox.addFault({ kind: 'empty' });

		const answer = await getBalance();

		expect(answer.status).toBe(200);
		expect(answer.text).toBe('');
	});

	it('kind "envelopeFailure" answers HTTP 200 with response_code 1', async () => {
		sandbox.addFault({ kind: 'envelopeFailure' });
		const byDefault = await getBalance();
		sandbox.setFaults([
			{ kind: 'envelopeFailure', message: 'Insufficient balance in card account' },
		]);
		const withMessage = await getBalance();

		expect(byDefault.status).toBe(200);
		expect(byDefault.json).toEqual(
			envelope(1, 'Internal processing error', 'Internal processing error'),
		);
		expect(withMessage.json).toEqual(
			envelope(1, 'Insufficient balance in card account', 'Insufficient balance in card account'),
		);
	});

	describe('afterProcessing', () => {
		beforeEach(() => {
			sandbox.createEvent({ ...REFERRAL, amount: 50 });
		});

		it('processes the request and loses the response; a retry does not credit twice', async () => {
			sandbox.addFault({ kind: 'reset', afterProcessing: true, times: 1 });

			await expect(call(ALLOCATE, { body: ALLOCATION })).rejects.toThrow();
			expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);

			const retry = await call(ALLOCATE, { body: ALLOCATION });

			expect(retry.json.response_code).toBe(0);
			expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);
		});

		it.each(['status', 'malformed', 'html', 'empty'] as const)(
			'applies to kind %s',
			async (kind) => {
				sandbox.addFault({ kind, afterProcessing: true });

				const answer = await call(ALLOCATE, { body: ALLOCATION });

				expect(answer.json?.response_code).not.toBe(0);
				expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);
			},
		);
	});

	describe('selection', () => {
		async function outcomes(count: number) {
			for (let i = 0; i < count; i += 1) await getBalance().catch(() => undefined);
			return sandbox.requests.map((request) => request.outcome);
		}

		it('times: N faults the first N matches only', async () => {
			sandbox.addFault({ kind: 'status', times: 2 });

			expect(await outcomes(4)).toEqual(['status', 'status', 'ok', 'ok']);
			expect(sandbox.faults()[0]).toMatchObject({ matched: 4, applied: 2 });
		});

		it('every: N faults every Nth match', async () => {
			sandbox.addFault({ kind: 'status', every: 3 });

			expect(await outcomes(7)).toEqual(['ok', 'ok', 'status', 'ok', 'ok', 'status', 'ok']);
			expect(sandbox.faults()[0]).toMatchObject({ matched: 7, applied: 2 });
		});

		it('without times or every, faults every match', async () => {
			sandbox.addFault({ kind: 'status' });

			expect(await outcomes(3)).toEqual(['status', 'status', 'status']);
		});

		it('the first matching applicable rule wins', async () => {
			sandbox.setFaults([
				{ kind: 'status', status: 500, times: 1 },
				{ kind: 'envelopeFailure' },
				{ kind: 'html' },
			]);

			expect(await outcomes(3)).toEqual(['status', 'envelopeFailure', 'envelopeFailure']);
			expect(sandbox.faults().map(({ matched, applied }) => ({ matched, applied }))).toEqual([
				{ matched: 3, applied: 1 },
				{ matched: 2, applied: 2 },
				{ matched: 0, applied: 0 },
			]);
		});
	});

	describe('match', () => {
		beforeEach(() => {
			sandbox.createEvent({ ...REFERRAL, amount: 50 });
		});

		it('by method and exact path', async () => {
			sandbox.addFault({ kind: 'status', match: { method: 'post', path: ALLOCATE } });

			expect((await getBalance()).status).toBe(200);
			expect((await call(ALLOCATE, { body: ALLOCATION })).status).toBe(503);
		});

		it('by body values', async () => {
			sandbox.addFault({ kind: 'status', match: { body: { userId: 'EK6CYE6K' } } });

			expect((await call(ALLOCATE, { body: ALLOCATION })).status).toBe(200);
			expect(
				(await call(ALLOCATE, { body: { ...ALLOCATION, requestId: 'R2', userId: 'EK6CYE6K' } }))
					.status,
			).toBe(503);
		});

		it('leaves the token endpoint alone unless the rule names it', async () => {
			sandbox.addFault({ kind: 'status' });
			expect((await passwordGrant()).status).toBe(200);

			sandbox.setFaults([{ kind: 'status', match: { path: '/oauth/token' } }]);
			expect((await passwordGrant()).status).toBe(503);
			expect((await getBalance()).status).toBe(200);
		});
	});

	it('rejects invalid rules', () => {
		expect(() => sandbox.addFault({ kind: 'explode' } as never)).toThrow(/kind/);
		expect(() => sandbox.addFault({ kind: 'status', time: 1 } as never)).toThrow(
			'Unknown fault rule field "time"',
		);
		expect(() => sandbox.addFault({ kind: 'latency' })).toThrow('A latency fault needs delayMs');
		expect(() => sandbox.addFault({ kind: 'status', match: { url: '/' } } as never)).toThrow(
			/match/,
		);
		expect(sandbox.faults()).toEqual([]);
	});

	it('clearFaults() removes every rule', async () => {
		sandbox.addFault({ kind: 'status' });
		sandbox.clearFaults();

		expect(sandbox.faults()).toEqual([]);
		expect((await getBalance()).status).toBe(200);
	});
});

describe('fault kind "custom"', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(() => sandbox.close());

	it('answers with the given status, content type and body, as they are', async () => {
		sandbox.addFault({
			kind: 'custom',
			status: 200,
			contentType: 'application/json',
			body: '{"payload":1}',
			times: 1,
		});

		const response = await fetch(`${sandbox.url}/api/v0/coins/balance?userId=U1`, {
			headers: { authorization: `Bearer ${sandbox.issueToken()}` },
		});

		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(await response.text()).toBe('{"payload":1}');
	});

	it('sends the given headers too, for example a redirect', async () => {
		sandbox.addFault({
			kind: 'custom',
			status: 301,
			headers: { Location: 'https://pay.enkash.in/api/v0/coins/balance?userId=U1' },
			times: 1,
		});

		const response = await fetch(`${sandbox.url}/api/v0/coins/balance?userId=U1`, {
			headers: { authorization: `Bearer ${sandbox.issueToken()}` },
			redirect: 'manual',
		});

		expect(response.status).toBe(301);
		expect(response.headers.get('location')).toBe(
			'https://pay.enkash.in/api/v0/coins/balance?userId=U1',
		);
	});
});
