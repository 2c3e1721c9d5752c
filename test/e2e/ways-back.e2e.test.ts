/**
 * The ways back from what the password credential stores, in `n8n start` with
 * published webhook workflows, driven as n8n's editor drives a credential: it
 * reads the stored credential (`GET /rest/credentials/:id?includeData=true`,
 * password fields redacted), and sends that back, with the person's changes,
 * on every test: each time the dialog opens, on Save (after storing it with a
 * PATCH) and on Retry. Each scenario is checked against the token requests the
 * sandbox recorded and against its lock.
 */
import { sleep } from 'n8n-workflow';

import type { N8n } from '../../dev/n8n';
import { paths } from '../../dev/runtime';
import { loadExample } from '../../dev/workflows';
import { NOT_ACCEPTED_MESSAGE, OTHER_CREDENTIAL_NOTE } from '../../credentials/common/messages';
import { startSandbox } from '../../sandbox/enkash-sandbox';
import {
	REFERRAL_EVENT,
	credentialData,
	openDialog as openWith,
	postReferral as postTo,
	saveCredential,
	startWebhookScenarios,
	testCredential,
	tokenRequestsSince,
	webhookScenario,
	type WebhookScenario as Scenario,
} from '../helpers/webhook-scenarios';

let n8n: N8n;

const N8N_MAJOR = Number(paths.n8nVersion.split('.')[0]);

const scenario = (key: string, name: string, tokenTtlSeconds?: number) =>
	webhookScenario('EnkashWayBack', key, name, tokenTtlSeconds);
/** Tokens of the outage scenario: short, so that the one held has expired when the outage starts. */
const DOWN_TOKEN_SECONDS = 3;

/**
 * A webhook workflow reading a balance with n8n's HTTP Request node, the
 * password credential chosen as its Predefined Credential Type.
 */
function httpRequestWorkflow(each: Scenario) {
	const referral = loadExample('referral-webhook-allocate.json');
	const byType = (type: string) =>
		referral.nodes.find((node: { type: string }) => node.type === type);
	const [webhook, respond] = ['n8n-nodes-base.webhook', 'n8n-nodes-base.respondToWebhook'].map(
		byType,
	);
	const http = {
		id: `${each.workflowId}-http`,
		name: 'Read Balance Over HTTP',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [240, 0],
		parameters: {
			method: 'GET',
			url: `${each.sandbox!.url}/api/v0/coins/balance`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'enkashCoinsPasswordApi',
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'userId', value: 'EKQZVMQK' }] },
			options: {},
		},
		credentials: { enkashCoinsPasswordApi: { id: each.credential.id, name: each.credential.name } },
		onError: 'continueRegularOutput',
	};
	return {
		...referral,
		id: each.workflowId,
		name: `Enkash balance over HTTP (${each.credential.name})`,
		nodes: [
			{
				...webhook,
				webhookId: `${each.workflowId}-webhook`,
				parameters: { ...webhook.parameters, path: each.path },
			},
			http,
			respond,
		],
		connections: {
			[webhook.name]: { main: [[{ node: http.name, type: 'main', index: 0 }]] },
			[http.name]: { main: [[{ node: respond.name, type: 'main', index: 0 }]] },
		},
	};
}

const SCENARIOS = {
	restored: scenario('Re', 'Enkash, password changed and restored at Enkash'),
	wrongTwice: scenario('Wt', 'Enkash, two wrong passwords saved'),
	locked: scenario('Lo', 'Enkash, account locked then unlocked'),
	httpNode: {
		...scenario('Hn', 'Enkash, used by the HTTP Request node'),
		workflow: httpRequestWorkflow,
	},
	spring401: scenario('Sp', 'Enkash, Token URL answered by Spring 401'),
	throttled: scenario('Th', 'Enkash, token endpoint throttled once'),
	address: scenario('Ad', 'Enkash, wrong Token URL'),
	down: scenario('Do', 'Enkash, token endpoint down then back', DOWN_TOKEN_SECONDS),
	shared: scenario('Sh', 'Enkash, one username in three credentials'),
};
/** Two more credentials with the username of SCENARIOS.shared. */
const SAME_USERNAME = ['Sh2', 'Sh3'].map((key) => scenario(key, `Enkash, same username ${key}`));

beforeAll(async () => {
	n8n = await startWebhookScenarios(Object.values(SCENARIOS), {
		sharing: SAME_USERNAME,
		dataOf: (each) => {
			if (SAME_USERNAME.includes(each)) return credentialData(SCENARIOS.shared);
			if (each === SCENARIOS.httpNode) return credentialData(each, { password: 'wrong' });
			return credentialData(each);
		},
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

const openDialog = (each: Scenario) => openWith(n8n, each);

/** The credential test: when the dialog opens, and on Retry (the same request again). */
const clickTest = (each: Scenario, data: Record<string, unknown>) =>
	testCredential(n8n, each, data);

const save = (each: Scenario, data: Record<string, unknown>) => saveCredential(n8n, each, data);

/** Three refused token requests from somewhere else than n8n: Enkash locks the account. */
async function lockFromOutside(sandbox: NonNullable<Scenario['sandbox']>) {
	const { clientId, clientSecret, username } = sandbox.credentials;
	for (let refusal = 0; refusal < 3; refusal++) {
		await fetch(`${sandbox.url}/oauth/token`, {
			method: 'POST',
			headers: {
				authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams({ username, password: 'wrong', grant_type: 'password' }).toString(),
		});
	}
}

const WHAT_TO_CHANGE =
	/Correct the Username or Password in the credential and Save\. If Enkash has since restored these values, raise Login Attempt by one and Save: that sends one token request\.$/;
/** The password of SCENARIOS.restored before Enkash changed it. */
let passwordBeforeChange = '';

const ONE_MORE_LOCKS =
	'That is 2 refused logins in a row for this username: one more refused token request locks the account';

describe('ways back, as the editor drives the credential', () => {
	it('proven, then refused once after its password changed at Enkash; the dialog opened 6 times and Retry clicked 3 times send no token request, and the message says what to change', async () => {
		const each = SCENARIOS.restored;
		const sandbox = each.sandbox!;
		expect(await clickTest(each, await openDialog(each))).toMatchObject({ status: 'OK' });
		passwordBeforeChange = sandbox.credentials.password;
		sandbox.changePassword('changed-at-enkash');
		sandbox.expireAllTokens();
		const beforeCalls = sandbox.requests.length;

		const refused = await nineCalls(each);

		expect(refused.map(({ allocated }) => allocated ?? false)).toEqual(refused.map(() => false));
		expect(tokenRequestsSince(sandbox, beforeCalls)).toEqual({ sent: 1, refused: 1 });

		const beforeDialog = sandbox.requests.length;
		const openings = [];
		let data: Record<string, unknown> = {};
		for (let opening = 0; opening < 6; opening++) {
			data = await openDialog(each);
			expect(JSON.stringify(data)).not.toMatch(/[0-9a-f]{64}/);
			openings.push(await clickTest(each, data));
		}
		const retries = [];
		for (let retry = 0; retry < 3; retry++) retries.push(await clickTest(each, data));

		expect([...openings, ...retries]).toEqual(
			[...openings, ...retries].map(() => ({
				status: 'Error',
				message: expect.stringMatching(
					/^Enkash refused the token request \(HTTP 400: Bad credentials\) at .+ UTC\. /,
				),
			})),
		);
		for (const { message } of [...openings, ...retries]) expect(message).toMatch(WHAT_TO_CHANGE);
		expect(tokenRequestsSince(sandbox, beforeDialog)).toEqual({ sent: 0, refused: 0 });
		expect(sandbox.isLocked()).toBe(false);
	});

	it('then Enkash restores the password, and Login Attempt raised by one and saved sends exactly 1 token request; the next 9 calls answer', async () => {
		const each = SCENARIOS.restored;
		const sandbox = each.sandbox!;
		sandbox.changePassword(passwordBeforeChange);
		const since = sandbox.requests.length;

		const saved = await save(each, { ...(await openDialog(each)), loginAttempt: 2 });

		expect(saved).toMatchObject({ status: 'OK' });
		expect(tokenRequestsSince(sandbox, since)).toEqual({ sent: 1, refused: 0 });
		const answers = await nineCalls(each);
		expect(answers.map(({ allocated }) => allocated)).toEqual(answers.map(() => true));
		expect(tokenRequestsSince(sandbox, since)).toEqual({ sent: 1, refused: 0 });
	});

	it('a wrong password saved, then another wrong one: the second refusal warns that one more locks the account; the right one saved is sent at once and accepted', async () => {
		const each = SCENARIOS.wrongTwice;
		const sandbox = each.sandbox!;
		const since = sandbox.requests.length;

		const first = await save(each, { ...(await openDialog(each)), password: 'wrong-once' });
		const second = await save(each, { ...(await openDialog(each)), password: 'wrong-twice' });

		expect(first.message).toMatch(
			/^Enkash refused the token request \(HTTP 400: Bad credentials\)/,
		);
		expect(first.message).not.toContain('in a row');
		expect(second.message).toMatch(
			/^Enkash refused the token request \(HTTP 400: Bad credentials\)/,
		);
		expect(second.message).toContain(ONE_MORE_LOCKS);
		expect(tokenRequestsSince(sandbox, since)).toEqual({ sent: 2, refused: 2 });
		expect(sandbox.isLocked()).toBe(false);

		const beforeRight = sandbox.requests.length;
		const right = await save(each, {
			...(await openDialog(each)),
			password: sandbox.credentials.password,
		});

		expect(right).toMatchObject({ status: 'OK' });
		expect(tokenRequestsSince(sandbox, beforeRight)).toEqual({ sent: 1, refused: 0 });
		expect(sandbox.isLocked()).toBe(false);
		expect((await postReferral(each)).allocated).toBe(true);
	});

	it('the account locked at Enkash: the message says to ask Enkash to unlock it and then raise Login Attempt and Save; once unlocked, that sends 1 token request and calls answer', async () => {
		const each = SCENARIOS.locked;
		const sandbox = each.sandbox!;
		await lockFromOutside(sandbox);
		expect(sandbox.isLocked()).toBe(true);

		const locked = await clickTest(each, await openDialog(each));
		expect(locked.status).toBe('Error');
		expect(locked.message).toMatch(
			/^Enkash has locked the account \(HTTP 400: User account is locked\) at .+ UTC\. /,
		);
		expect(locked.message).toContain(
			'Ask Enkash to unlock the account; once it is unlocked, raise Login Attempt by one and Save: that sends one token request.',
		);
		const held = await postReferral(each);
		expect(held.error).toMatch(/^Enkash has locked the account/);

		sandbox.unlockAccount();
		const since = sandbox.requests.length;
		// Opened again with nothing changed: the locked login is not sent again.
		expect(await clickTest(each, await openDialog(each))).toMatchObject({ status: 'Error' });
		expect(tokenRequestsSince(sandbox, since)).toEqual({ sent: 0, refused: 0 });

		const saved = await save(each, { ...(await openDialog(each)), loginAttempt: 2 });

		expect(saved).toMatchObject({ status: 'OK' });
		expect(tokenRequestsSince(sandbox, since)).toEqual({ sent: 1, refused: 0 });
		expect((await postReferral(each)).allocated).toBe(true);
	});

	it('a Token URL answered with Spring’s 401 "Full authentication is required": the message names the Token URL, nothing counts as a refusal; fixed and saved, the credential works', async () => {
		const each = SCENARIOS.spring401;
		const sandbox = each.sandbox!;
		// Under /api/, where Enkash (Spring Security) asks every request for a token.
		const wrongUrl = `${sandbox.url}/api/oauth/token`;
		const refusedBefore = sandbox.requests.filter(
			({ path, outcome }) => path === '/oauth/token' && outcome !== 'ok',
		).length;
		const since = sandbox.requests.length;

		const saved = await save(each, { ...(await openDialog(each)), tokenUrl: wrongUrl });
		const openedAgain = await clickTest(each, await openDialog(each));

		for (const answer of [saved, openedAgain]) {
			expect(answer.status).toBe('Error');
			expect(answer.message).toContain(
				`${wrongUrl} answered HTTP 401: Full authentication is required to access this resource: that is not Enkash's token endpoint, so the Token URL (or the Base URL) is wrong`,
			);
			expect(answer.message).not.toMatch(/^Enkash refused/);
			expect(answer.message).toContain('The login was not refused.');
		}
		// Not a refusal: the credential's test sends it again.
		expect(
			sandbox.requests.slice(since).filter(({ path }) => path === '/api/oauth/token'),
		).toHaveLength(2);
		expect(tokenRequestsSince(sandbox, since)).toEqual({ sent: 0, refused: 0 });
		expect(
			sandbox.requests.filter(({ path, outcome }) => path === '/oauth/token' && outcome !== 'ok'),
		).toHaveLength(refusedBefore);
		expect(sandbox.isLocked()).toBe(false);

		const fixed = await save(each, { ...(await openDialog(each)), tokenUrl: '' });
		expect(fixed).toMatchObject({ status: 'OK' });
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
		expect(throttled.error).toMatch(/the next token request is sent after .+ UTC \(in \d+ s\)/);
		await sleep(4000);
		const later = [];
		for (let call = 0; call < 3; call++) later.push(await postReferral(each));

		expect(later.map(({ allocated }) => allocated)).toEqual([true, true, true]);
		expect(tokenRequestsSince(sandbox, 0).sent).toBeLessThanOrEqual(3);
		expect(tokenRequestsSince(sandbox, 0).refused).toBe(1);
	});

	it('a wrong Token URL (404): the test names the URL; fixed and saved, the credential works with nothing left over', async () => {
		const each = SCENARIOS.address;
		const sandbox = each.sandbox!;
		const wrongUrl = `${sandbox.url}/oauth/tokens`;

		const wrong = await save(each, { ...(await openDialog(each)), tokenUrl: wrongUrl });
		expect(wrong.message).toContain(`${wrongUrl} answered HTTP 404`);

		const fixed = await save(each, { ...(await openDialog(each)), tokenUrl: '' });
		expect(fixed).toMatchObject({ status: 'OK' });
		expect((await postReferral(each)).allocated).toBe(true);
		expect(sandbox.isLocked()).toBe(false);
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

	it('three credentials with one username, each saved with a different wrong password: each is sent once; the second warns that one more locks the account, and the answers name the other credential of the username', async () => {
		const sandbox = SCENARIOS.shared.sandbox!;
		const since = sandbox.requests.length;
		const answers = [];
		for (const [index, each] of [SCENARIOS.shared, ...SAME_USERNAME].entries())
			answers.push(await save(each, { ...(await openDialog(each)), password: `wrong-${index}` }));
		const messages = answers.map(({ message }) => message);

		expect(messages).toEqual(
			messages.map(() =>
				expect.stringMatching(/^Enkash refused the token request \(HTTP 400: Bad credentials\)/),
			),
		);
		expect(messages[1]).toContain(ONE_MORE_LOCKS);
		expect(messages[2]).toContain('That is 3 refused logins in a row for this username');
		for (const message of messages.slice(1))
			expect(message.endsWith(OTHER_CREDENTIAL_NOTE)).toBe(true);
		// Each changed password is a login nobody sent: the person's Save sends it, and Enkash counts the three together.
		expect(tokenRequestsSince(sandbox, since)).toEqual({ sent: 3, refused: 3 });
		expect(sandbox.isLocked()).toBe(true);
	});
});

describe('the password credential in n8n, chosen in the HTTP Request node', () => {
	it(
		N8N_MAJOR >= 2
			? 'an unproven wrong password, 9 calls: n8n refuses the credential to the node, and no token request is sent'
			: 'an unproven wrong password, 9 calls: no token request is sent (n8n 1.x does not restrict credentials to nodes)',
		async () => {
			const each = SCENARIOS.httpNode;
			const sandbox = each.sandbox!;
			const answers = [];
			for (let call = 0; call < 9; call++) {
				const response = await fetch(`${n8n.baseUrl}/webhook/${each.path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({}),
				});
				answers.push(await response.text());
			}

			expect(tokenRequestsSince(sandbox, 0)).toEqual({ sent: 0, refused: 0 });
			expect(sandbox.requests).toEqual([]);
			if (N8N_MAJOR >= 2) {
				for (const answer of answers)
					expect(answer).toContain(
						'Credential type \\"enkashCoinsPasswordApi\\" is restricted to specific nodes',
					);
			} else {
				for (const answer of answers) expect(answer).toContain(NOT_ACCEPTED_MESSAGE);
			}
		},
	);
});
