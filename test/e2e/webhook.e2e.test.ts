/**
 * The package in a running n8n server (`n8n start`): a published
 * webhook-triggered workflow allocates coins, a published Enkash Coins Trigger
 * workflow fires when a balance falls below its threshold, and the credential
 * test the editor runs on Save checks the token against the API.
 */
import { sleep } from 'n8n-workflow';

import { N8n } from '../../dev/n8n';
import { OWNER } from '../../dev/playground';
import { EXAMPLE_CREDENTIALS, loadExample, sandboxCredentials } from '../../dev/workflows';
import { startSandbox } from '../../sandbox/enkash-sandbox';
import { COMPANY_ID, EVENT_NAME, USER_ID } from '../helpers/fixtures';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;
let n8n: N8n;
const workflow = loadExample('referral-webhook-allocate.json');
const WATCHED = [USER_ID, 'EK6CYE6K', 'EKM4TQ2P'];
// n8n refuses poll intervals under a minute, so each minute is the quickest.
const lowBalanceAlert = loadExample('low-balance-alert-trigger.json');
lowBalanceAlert.nodes.find(
	({ type }: { type: string }) => type === 'n8n-nodes-enkash-coins.enkashCoinsTrigger',
).parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };

beforeAll(async () => {
	sandbox = await startSandbox({ tokenTtlSeconds: 3600 });
	sandbox.createEvent({ companyId: COMPANY_ID, event: EVENT_NAME, amount: 50 });
	n8n = N8n.create();
	await n8n.importCredentials(sandboxCredentials(sandbox));
	// EKQZVMQK, credited by the webhook tests, stays below 100: it never crosses.
	sandbox.setBalances({ EK6CYE6K: 300, EKM4TQ2P: 500 });
	await n8n.importWorkflows([workflow, lowBalanceAlert]);
	// Both published workflows log in with the password credential, which
	// executions send only once Enkash has accepted it: the owner saves the
	// credential in the editor, which tests it.
	await n8n.start();
	await n8n.setupOwner(OWNER);
	await n8n.acceptLogin(EXAMPLE_CREDENTIALS.password);
	// The trigger polls as soon as it is published: both are published now that
	// the login is accepted.
	await n8n.publishWorkflows([workflow.id, lowBalanceAlert.id]);
}, 600_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

function postReferral(body: Record<string, unknown>) {
	return fetch(`${n8n.baseUrl}/webhook/enkash-referral`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
}

describe('a published webhook workflow', () => {
	it('allocates coins for a POST and answers with the result', async () => {
		const response = await postReferral({ referrerId: USER_ID, referralId: 'REF-WEBHOOK-1' });

		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			allocated: true,
			requestId: 'REF-WEBHOOK-1',
			companyId: COMPANY_ID,
			userId: USER_ID,
			event: EVENT_NAME,
			message: 'Successfully allocated enkash Coins',
		});
		expect(sandbox.balanceOf(USER_ID)).toBe(50);
	});

	it('does not credit twice when the shop sends the same referral again', async () => {
		const again = await postReferral({ referrerId: USER_ID, referralId: 'REF-WEBHOOK-1' });

		expect(((await again.json()) as { allocated: boolean }).allocated).toBe(true);
		expect(sandbox.balanceOf(USER_ID)).toBe(50);
	});

	it('answers with the error when the referral cannot be credited', async () => {
		const response = await postReferral({ referrerId: '', referralId: 'REF-WEBHOOK-2' });

		expect(await response.json()).toEqual({
			error: '"User ID" is required but is empty [item 0]',
			description: expect.stringMatching(/^If some input items have no "User ID", filter them out/),
		});
	});
});

/** Resolves once `check` returns something, asking every half second. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await check();
		if (value !== undefined) return value;
		await sleep(500);
	}
	throw new Error(`Waited ${timeoutMs} ms for ${what}:\n${n8n.serverLog.slice(-3000)}`);
}

const balanceReadsOf = (userId: string) =>
	sandbox.requests.filter(
		({ path, query }) => path === '/api/v0/coins/balance' && query.userId === userId,
	).length;

describe('a published Enkash Coins Trigger workflow', () => {
	type ExecutionSummary = { id: string; status: string; workflowId: string };
	const executionsOfAlert = async () =>
		((await n8n.rest('GET', '/executions')) as { results: ExecutionSummary[] }).results.filter(
			({ workflowId }) => workflowId === lowBalanceAlert.id,
		);

	it('records a baseline when published, then fires once when a balance falls below 100', async () => {
		await waitFor(
			'the first poll',
			async () => (WATCHED.every((userId) => balanceReadsOf(userId) >= 1) ? true : undefined),
			60_000,
		);
		expect(await executionsOfAlert()).toEqual([]);

		sandbox.setBalances({ EK6CYE6K: 40 });
		const [execution] = await waitFor(
			'a finished execution of the alert',
			async () => {
				const executions = await executionsOfAlert();
				const stillRunning = executions.some(({ status }) => ['new', 'running'].includes(status));
				return executions.length > 0 && !stillRunning ? executions : undefined;
			},
			90_000,
		);

		expect(execution.status).toBe('success');
		const { data } = await n8n.executionOf(execution.id);
		const notified = data.resultData.runData['Notify Loyalty Team'][0].data.main[0];
		expect(notified.map(({ json }: { json: unknown }) => json)).toEqual([
			{ userId: 'EK6CYE6K', balance: 40, previousBalance: 300, event: 'balanceBelow' },
		]);
		expect(await executionsOfAlert()).toHaveLength(1);
	});
});

describe('the credential test', () => {
	const testCredential = async (credential: {
		id: string;
		name: string;
		type: string;
		data: Record<string, unknown>;
	}) =>
		(await n8n.rest('POST', '/credentials/test', { credentials: credential })) as {
			status: string;
			message: string;
		};

	it('accepts a valid token and refuses an invalid one', async () => {
		const [token] = sandboxCredentials(sandbox);

		expect(await testCredential(token)).toMatchObject({ status: 'OK' });
		expect(
			await testCredential({ ...token, data: { ...token.data, accessToken: 'not-a-token' } }),
		).toMatchObject({
			status: 'Error',
		});
	});

	it('accepts right password-grant values', async () => {
		const [, password] = sandboxCredentials(sandbox);

		expect(await testCredential(password)).toMatchObject({ status: 'OK' });
		expect(sandbox.requests.some(({ path }) => path === '/oauth/token')).toBe(true);
	});
});

describe('stopping n8n', () => {
	it('shuts the server down cleanly', async () => {
		const server = n8n.server;
		await n8n.stop();

		expect(server?.exitCode === 0 || server?.signalCode === 'SIGTERM').toBe(true);
		await expect(fetch(`${n8n.baseUrl}/healthz`)).rejects.toThrow();
	});
});
