/**
 * The ways back from what the password credential stores, in `n8n start` with
 * published webhook workflows, driven as n8n's editor drives a credential: it
 * reads the stored credential (`GET /rest/credentials/:id?includeData=true`,
 * password fields redacted), and sends that back, with the person's changes,
 * on every Test and Save. Each scenario is checked against the token requests
 * the sandbox recorded.
 */
import { sleep } from 'n8n-workflow';

import type { N8n } from '../../dev/n8n';
import { startSandbox } from '../../sandbox/enkash-sandbox';
import {
	REFERRAL_EVENT,
	credentialData,
	postReferral as postTo,
	startWebhookScenarios,
	testCredential,
	tokenRequestsSince,
	webhookScenario,
	type WebhookScenario as Scenario,
} from '../helpers/webhook-scenarios';

let n8n: N8n;

const scenario = (key: string, name: string, tokenTtlSeconds?: number) =>
	webhookScenario('EnkashWayBack', key, name, tokenTtlSeconds);
/** Tokens of the outage scenario: short, so that the one held has expired when the outage starts. */
const DOWN_TOKEN_SECONDS = 3;
const SCENARIOS = {
	restored: scenario('Re', 'Enkash, password changed and restored at Enkash'),
	locked: scenario('Lo', 'Enkash, account locked then unlocked'),
	throttled: scenario('Th', 'Enkash, token endpoint throttled once'),
	address: scenario('Ad', 'Enkash, wrong Token URL'),
	down: scenario('Do', 'Enkash, token endpoint down then back', DOWN_TOKEN_SECONDS),
	shared: scenario('Sh', 'Enkash, one username in three credentials'),
};
/** Two more credentials with the username of SCENARIOS.shared, each with its own wrong password. */
const SAME_USERNAME = ['Sh2', 'Sh3'].map((key) => scenario(key, `Enkash, same username ${key}`));

beforeAll(async () => {
	n8n = await startWebhookScenarios(Object.values(SCENARIOS), {
		sharing: SAME_USERNAME,
		dataOf: (each) => credentialData(SAME_USERNAME.includes(each) ? SCENARIOS.shared : each),
	});
}, 600_000);

afterAll(async () => {
	await n8n?.dispose();
	for (const each of Object.values(SCENARIOS)) await each.sandbox?.close();
});

const postReferral = (each: Scenario) => postTo(n8n, each);

async function nineCalls(each: Scenario) {
	const answers = [];
	for (let call = 0; call < 9; call++) answers.push(await postReferral(each));
	return answers;
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
const clickTest = (each: Scenario, data: Record<string, unknown>) =>
	testCredential(n8n, each, data);

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

	it('the token endpoint down (connection refused), then back: no refusal stored, a cool-down rather than a request per call, and calls answer once it is back', async () => {
		const each = SCENARIOS.down;
		expect(await clickTest(each, await openDialog(each))).toMatchObject({ status: 'OK' });
		const port = Number(new URL(each.sandbox!.url).port);
		await sleep(DOWN_TOKEN_SECONDS * 1000);
		await each.sandbox!.close();

		const during = [];
		for (let call = 0; call < 6; call++) during.push((await postReferral(each)).error ?? '');
		expect(during).toEqual(
			during.map(() =>
				expect.stringMatching(
					/^Enkash's token endpoint could not be reached \(connection refused\)/,
				),
			),
		);
		// One token request failed: every call names the same next attempt, which a second failure would have moved.
		const nextAttempts = during.map((error) => /sent after (.* UTC)/.exec(error)?.[1]);
		expect(new Set(nextAttempts).size).toBe(1);

		each.sandbox = await startSandbox({ port, tokenTtlSeconds: 3600 });
		each.sandbox.createEvent(REFERRAL_EVENT);
		let back = await postReferral(each);
		for (let wait = 0; !back.allocated && wait < 15; wait++) {
			await sleep(1000);
			back = await postReferral(each);
		}

		expect(back.allocated).toBe(true);
		expect(tokenRequestsSince(each.sandbox, 0)).toEqual({ sent: 1, refused: 0 });
	});

	it('three credentials with one username, each with a different wrong password, each tested once: the third sends nothing and warns; the account is not locked', async () => {
		const sandbox = SCENARIOS.shared.sandbox!;
		const since = sandbox.requests.length;
		const answers = [];
		for (const [index, each] of [SCENARIOS.shared, ...SAME_USERNAME].entries()) {
			const data = { ...(await openDialog(each)), password: `wrong-${index}` };
			answers.push(await clickTest(each, data));
		}

		expect(answers.map(({ message }) => message)).toEqual([
			expect.stringMatching(/^Enkash refused the token request \(HTTP 400: Bad credentials\)/),
			expect.stringMatching(/^Enkash refused the token request \(HTTP 400: Bad credentials\)/),
			expect.stringMatching(
				/one more refused token request locks the account\. Nothing was sent now\./,
			),
		]);
		expect(tokenRequestsSince(sandbox, since)).toEqual({ sent: 2, refused: 2 });
		expect(sandbox.isLocked()).toBe(false);
	});
});
