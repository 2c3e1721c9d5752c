/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: it runs under jest on Node, never inside n8n */
/** Starting and stopping the sandbox. */
import * as http from 'node:http';
import { sleep } from 'n8n-workflow';
import { startSandbox } from '../../sandbox/enkash-sandbox';

import { ALLOCATE, ALLOCATION, BALANCE, REFERRAL } from './api';
import { call, passwordGrant, sandbox, token, withSandbox } from './client';

describe('Lifecycle', () => {
	it('exposes its URL and credentials', () => {
		expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
		expect(sandbox.credentials).toEqual({
			clientId: 'sandbox-client',
			clientSecret: 'sandbox-client-secret',
			username: 'loyalty-admin@example.com',
			password: 'sandbox-password',
		});
	});

	it('keeps connections alive between requests', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const get = () =>
			new Promise<boolean>((resolve, reject) => {
				const request = http.get(
					`${sandbox.url}${BALANCE}?userId=EK1`,
					{ agent, headers: { Authorization: `Bearer ${token}` } },
					(response) => {
						response.resume();
						response.on('end', () => resolve(request.reusedSocket));
					},
				);
				request.on('error', reject);
			});

		try {
			expect(await get()).toBe(false);
			expect(await get()).toBe(true);
		} finally {
			agent.destroy();
		}
	});

	it('reset() clears events, balances, allocations, tokens, requests, faults and the id counter', async () => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });
		await call(ALLOCATE, { body: ALLOCATION });
		sandbox.addFault({ kind: 'html', match: { path: '/nowhere' } });

		sandbox.reset();

		expect(sandbox.events()).toEqual([]);
		expect(sandbox.allocations()).toEqual([]);
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(0);
		expect(sandbox.requests).toEqual([]);
		expect(sandbox.tokenRequestCount()).toBe(0);
		expect(sandbox.faults()).toEqual([]);
		expect(sandbox.createEvent({ ...REFERRAL, amount: 1 }).coinConfigId).toBe('WCC100001');
		expect((await call(`${BALANCE}?userId=EK1`)).status).toBe(401);
	});

	it("changePassword() changes the API user's password: the old one is refused, tokens already issued still work, reset() restores it", async () => {
		const issued = sandbox.issueToken();
		const { password: first } = sandbox.credentials;

		sandbox.changePassword('rotated');

		expect((await passwordGrant({ password: first })).status).toBe(400);
		expect((await passwordGrant({ password: 'rotated' })).status).toBe(200);
		expect(sandbox.credentials.password).toBe('rotated');
		expect((await call(`${BALANCE}?userId=EK1`, { token: issued })).status).toBe(200);
		sandbox.reset();
		expect(sandbox.credentials.password).toBe(first);
		expect((await passwordGrant()).status).toBe(200);
	});

	it('locks the account after 3 refused logins in a row, and unlockAccount() unlocks it, as Enkash support would', async () => {
		for (let refusal = 0; refusal < 3; refusal++) {
			expect((await passwordGrant({ password: 'wrong' })).status).toBe(400);
		}
		expect(sandbox.isLocked()).toBe(true);
		expect((await passwordGrant()).json).toMatchObject({
			error_description: 'User account is locked',
		});

		sandbox.unlockAccount();

		expect(sandbox.isLocked()).toBe(false);
		expect((await passwordGrant()).status).toBe(200);
	});

	it('setBalances() sets balances, as spending coins elsewhere would', async () => {
		sandbox.setBalances({ EK1: 40, EK2: 0 });

		expect(sandbox.balanceOf('EK1')).toBe(40);
		expect((await call(`${BALANCE}?userId=EK1`)).json).toMatchObject({ payload: 40 });
	});

	it('close() does not hang on stalled or idle connections', async () => {
		const other = await startSandbox();
		other.addFault({ kind: 'stall' });
		const stalled = fetch(`${other.url}${BALANCE}?userId=EK1`, {
			headers: { Authorization: `Bearer ${other.issueToken()}` },
		});
		await sleep(50);

		const started = Date.now();
		await other.close();

		expect(Date.now() - started).toBeLessThan(1000);
		await expect(stalled).rejects.toThrow();
	});
});

describe('Network and vendor limits', () => {
	it('answers every request after latencyMs, as a real API over a network does', async () => {
		await withSandbox({ latencyMs: 60 }, async (slow) => {
			const started = Date.now();
			const answer = await call(`${BALANCE}?userId=EK1`, { token: slow.issueToken() }, slow);

			expect(answer.status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(55);
		});
	});

	it('answers 429 with Retry-After beyond its rate limit, and serves again once it refills', async () => {
		await withSandbox({ rateLimit: { perSecond: 2 } }, async (limited) => {
			const bearer = limited.issueToken();
			const balance = () => call(`${BALANCE}?userId=EK1`, { token: bearer }, limited);

			const answers = [await balance(), await balance(), await balance()];
			expect(answers.map(({ status }) => status)).toEqual([200, 200, 429]);
			expect(answers[2].headers.get('retry-after')).toBe('1');
			expect(answers[2].json).toMatchObject({ response_code: 429 });
			expect(limited.requests.map(({ outcome }) => outcome)).toEqual(['ok', 'ok', 'rateLimited']);
			expect((await call('/__sandbox/state', {}, limited)).json).toMatchObject({ rateLimited: 1 });

			await sleep(520);
			expect((await balance()).status).toBe(200);
		});
	});

	it('never throttles the token endpoint, whose refusals count towards the lockout', async () => {
		await withSandbox({ rateLimit: { perSecond: 1 } }, async (limited) => {
			const grants = [];
			for (let i = 0; i < 3; i += 1) grants.push(await passwordGrant({}, limited));

			expect(grants.map(({ status }) => status)).toEqual([200, 200, 200]);
		});
	});
});
