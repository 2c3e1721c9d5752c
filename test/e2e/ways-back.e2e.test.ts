/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * The ways back from what the password credential stores, in `n8n start` with
 * published webhook workflows, driven as n8n's editor drives a credential: it
 * reads the stored credential (`GET /rest/credentials/:id?includeData=true`,
 * password fields redacted), and sends that back, with the person's changes,
 * on every Test and Save. Each scenario is checked against the token requests
 * the sandbox recorded.
 */
import { sleep } from 'n8n-workflow';

import { N8n } from '../../dev/n8n';
import { OWNER } from '../../dev/playground';
import { sandboxCredentials, webhookVariant } from '../../dev/workflows';
import { startSandbox } from '../../sandbox/enkash-sandbox';
import type { Sandbox } from '../helpers/sandbox';
import { COMPANY_ID, EVENT_NAME } from '../helpers/fixtures';

const EVENT = { companyId: COMPANY_ID, event: EVENT_NAME, amount: 50 };

let n8n: N8n;

interface Scenario {
	credential: { id: string; name: string; type: string };
	sandbox?: Sandbox;
	workflowId: string;
	path: string;
}
const scenario = (key: string, name: string): Scenario => ({
	credential: { id: `EnkashWayBack${key}`, name, type: 'enkashCoinsPasswordApi' },
	workflowId: `EnkashWayBackW${key}`,
	path: `enkash-way-back-${key.toLowerCase()}`,
});
const SCENARIOS = {
	restored: scenario('Re', 'Enkash, password changed and restored at Enkash'),
	locked: scenario('Lo', 'Enkash, account locked then unlocked'),
	throttled: scenario('Th', 'Enkash, token endpoint throttled once'),
	address: scenario('Ad', 'Enkash, wrong Token URL'),
};

function credentialData({ sandbox }: Scenario, overrides: Record<string, string> = {}) {
	const { data } = sandboxCredentials(sandbox!)[1];
	return { ...data, ...overrides };
}

beforeAll(async () => {
	n8n = N8n.create();
	for (const each of Object.values(SCENARIOS)) {
		each.sandbox = await startSandbox({ tokenTtlSeconds: 3600 });
		each.sandbox.createEvent(EVENT);
	}
	await n8n.importCredentials(
		Object.values(SCENARIOS).map((each) => ({ ...each.credential, data: credentialData(each) })),
	);
	const workflows = Object.values(SCENARIOS).map(({ workflowId, path, credential }) =>
		webhookVariant('referral-webhook-allocate.json', { id: workflowId, path, credential }),
	);
	await n8n.importWorkflows(workflows);
	for (const { id } of workflows) await n8n.publishWorkflow(id);
	await n8n.start();
	for (const { path } of Object.values(SCENARIOS)) await n8n.waitForWebhook(path);
	await n8n.setupOwner(OWNER);
}, 600_000);

afterAll(async () => {
	await n8n?.dispose();
	for (const each of Object.values(SCENARIOS)) await each.sandbox?.close();
});

let referrals = 0;
async function postReferral({ path }: Scenario) {
	referrals += 1;
	const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			referrerId: `EKW${referrals}`,
			referralId: `REF-WAY-BACK-${referrals}`,
		}),
	});
	return (await response.json()) as { allocated?: boolean; error?: string };
}

async function nineCalls(each: Scenario) {
	const answers = [];
	for (let call = 0; call < 9; call++) answers.push(await postReferral(each));
	return answers;
}

function tokenRequestsSince(sandbox: Sandbox, since: number) {
	const sent = sandbox.requests.slice(since).filter(({ path }) => path === '/oauth/token');
	return { sent: sent.length, refused: sent.filter(({ outcome }) => outcome !== 'ok').length };
}

/** The credential as the editor loads it when its dialog opens: password fields redacted. */
async function openDialog(each: Scenario): Promise<Record<string, unknown>> {
	const { data } = (await n8n.rest(
		'GET',
		`/credentials/${each.credential.id}?includeData=true`,
	)) as { data: Record<string, unknown> };
	return data;
}

/** The dialog's Test (and the test n8n's editor runs when the dialog opens or is saved). */
async function clickTest(each: Scenario, data: Record<string, unknown>) {
	return (await n8n.rest('POST', '/credentials/test', {
		credentials: { ...each.credential, data },
	})) as { status: string; message: string };
}

describe('ways back, as the editor drives the credential', () => {
	it('proven, then refused after its password changed at Enkash; Enkash restores it; opening the credential and testing twice sends exactly 1 token request, and calls answer again', async () => {
		const each = SCENARIOS.restored;
		const sandbox = each.sandbox!;
		expect(await clickTest(each, await openDialog(each))).toMatchObject({ status: 'OK' });
		const { password } = sandbox.credentials;
		sandbox.changePassword('changed-at-enkash');
		sandbox.expireAllTokens();
		const refused = await nineCalls(each);
		expect(refused.map(({ allocated }) => allocated ?? false)).toEqual(refused.map(() => false));
		sandbox.changePassword(password);
		const beforeDialog = sandbox.requests.length;

		const data = await openDialog(each);
		expect(JSON.stringify(data)).not.toMatch(/[0-9a-f]{64}/);
		const onOpen = await clickTest(each, data);
		const first = await clickTest(each, data);
		const second = await clickTest(each, data);

		expect(onOpen).toEqual({
			status: 'Error',
			message: expect.stringMatching(/Nothing was sent now\. .* click Retry within 60 s/),
		});
		expect(first.status).toBe('OK');
		expect(second.status).toBe('OK');
		expect(tokenRequestsSince(sandbox, beforeDialog)).toEqual({ sent: 1, refused: 0 });
		const answers = await nineCalls(each);
		expect(answers.map(({ allocated }) => allocated)).toEqual(answers.map(() => true));
		expect(tokenRequestsSince(sandbox, beforeDialog).sent).toBe(1);
	});

	it('the account locked at Enkash: the message says what to do; once unlocked, Test twice sends 1 token request and calls answer', async () => {
		const each = SCENARIOS.locked;
		const sandbox = each.sandbox!;
		// Three refusals from somewhere else lock the account.
		for (let refusal = 0; refusal < 3; refusal++) {
			await fetch(`${sandbox.url}/oauth/token`, {
				method: 'POST',
				headers: {
					authorization: `Basic ${Buffer.from(`${sandbox.credentials.clientId}:${sandbox.credentials.clientSecret}`).toString('base64')}`,
					'content-type': 'application/x-www-form-urlencoded',
				},
				body: new URLSearchParams({
					username: sandbox.credentials.username,
					password: 'wrong',
					grant_type: 'password',
				}).toString(),
			});
		}
		expect(sandbox.isLocked()).toBe(true);

		const locked = await clickTest(each, await openDialog(each));
		expect(locked.message).toBe('Enkash has locked the account (HTTP 400: User account is locked)');
		const held = await postReferral(each);
		expect(held.error).toMatch(
			/not sent again until the credential is changed and saved, or tested twice$/,
		);

		sandbox.unlockAccount();
		const since = sandbox.requests.length;
		const data = await openDialog(each);
		const first = await clickTest(each, data);
		const second = await clickTest(each, data);

		expect(first.message).toMatch(/^Enkash locked the account at .* Ask Enkash to unlock it\./);
		expect(second.status).toBe('OK');
		expect(tokenRequestsSince(sandbox, since)).toEqual({ sent: 1, refused: 0 });
		expect((await postReferral(each)).allocated).toBe(true);
	});

	it('proven, tokens expired, the token endpoint answers 429 once: not stored as a refusal; calls a few seconds later answer, with at most 3 token requests in all', async () => {
		const each = SCENARIOS.throttled;
		const sandbox = each.sandbox!;
		expect(await clickTest(each, await openDialog(each))).toMatchObject({ status: 'OK' });
		sandbox.expireAllTokens();
		sandbox.addFault({ kind: 'status', status: 429, match: { path: '/oauth/token' }, times: 1 });

		const throttled = await postReferral(each);
		expect(throttled.error).toMatch(/^Enkash's token endpoint is throttling requests/);
		await sleep(4000);
		const later = [];
		for (let call = 0; call < 3; call++) later.push(await postReferral(each));

		expect(later.map(({ allocated }) => allocated)).toEqual([true, true, true]);
		expect(tokenRequestsSince(sandbox, 0).sent).toBeLessThanOrEqual(3);
	});

	it('a wrong Token URL (404): the Test names the URL; fixed and saved, the credential works with nothing left over', async () => {
		const each = SCENARIOS.address;
		const sandbox = each.sandbox!;
		const wrongUrl = `${sandbox.url}/oauth/tokens`;
		const data = { ...(await openDialog(each)), tokenUrl: wrongUrl };
		await n8n.rest('PATCH', `/credentials/${each.credential.id}`, { ...each.credential, data });

		const wrong = await clickTest(each, data);
		expect(wrong.message).toContain(`${wrongUrl} answered HTTP 404`);

		const fixed = { ...(await openDialog(each)), tokenUrl: '' };
		await n8n.rest('PATCH', `/credentials/${each.credential.id}`, {
			...each.credential,
			data: fixed,
		});
		expect(await clickTest(each, fixed)).toMatchObject({ status: 'OK' });
		expect((await postReferral(each)).allocated).toBe(true);
	});
});
