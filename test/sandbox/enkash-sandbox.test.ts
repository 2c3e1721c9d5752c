/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: it runs under jest on Node, never inside n8n */
/** Starting and stopping the sandbox. */
import * as http from 'node:http';
import { sleep } from 'n8n-workflow';
import { startSandbox } from '../../sandbox/enkash-sandbox';

import { ALLOCATE, ALLOCATION, BALANCE, REFERRAL } from './api';
import { call, sandbox, token } from './client';

describe('Lifecycle', () => {
	it('exposes its URL, port and credentials', () => {
		expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
		expect(sandbox.port).toBeGreaterThan(0);
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
