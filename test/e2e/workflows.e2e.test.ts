/**
 * The package inside a real n8n (the newest pinned, or the floor with
 * N8N_E2E_RUNTIME), installed from its npm tarball like a community package,
 * running workflows from n8n's CLI against the sandbox.
 */
import { N8n } from '../../dev/n8n';
import { OWNER } from '../../dev/playground';
import {
	EXAMPLE_CREDENTIALS,
	loadExample,
	manualVariant,
	manualWorkflow,
	nodeOutput,
	sandboxCredentials,
} from '../../dev/workflows';
import { startSandbox } from '../../sandbox/enkash-sandbox';
import { NOT_ACCEPTED_MESSAGE } from '../../credentials/common/messages';
import { everyOperationNodes, NODE_TYPE } from '../helpers/every-operation-workflow';
import { COMPANY_ID, EVENT_NAME, USER_ID } from '../helpers/fixtures';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;
let n8n: N8n;

beforeAll(async () => {
	sandbox = await startSandbox({ tokenTtlSeconds: 3600 });
	sandbox.createEvent({ companyId: COMPANY_ID, event: EVENT_NAME, amount: 60 });
	n8n = N8n.create();
	await n8n.importCredentials(sandboxCredentials(sandbox));
	// Executions, `n8n execute` among them, send only a login Enkash has accepted:
	// the owner saves the password credential in the editor first, which tests it.
	await n8n.acceptLogins([EXAMPLE_CREDENTIALS.password], OWNER);
}, 600_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

// The sandbox is not reset between tests: that would revoke the token stored in
// the imported credential. Each test uses its own events, users and request ids.

describe.each(['accessToken', 'password'] as const)(
	'every operation, authenticated by %s',
	(authentication) => {
		it('creates, reads and updates an event, allocates coins and reads the balance', async () => {
			const event = `E2E_${authentication.toUpperCase()}`;
			const userId = `EK${authentication.toUpperCase()}`;
			const id = authentication === 'password' ? 'E2eEveryOpPasswd' : 'E2eEveryOpTokenA';
			const nodes = everyOperationNodes(authentication, event, userId);
			await n8n.importWorkflow(
				manualWorkflow({ id, name: `Every operation (${authentication})`, nodes }),
			);

			const tokenRequestsBefore = sandbox.tokenRequestCount();
			const { ok, run, output } = await n8n.execute(id);

			expect({ ok, stderr: ok ? '' : output.stdout + output.stderr }).toEqual({
				ok: true,
				stderr: '',
			});
			const coinConfigId = nodeOutput(run, 'Create Event')[0].json.coinConfigId;
			expect(coinConfigId).toMatch(/^WCC\d+$/);
			expect(nodeOutput(run, 'Get Event')).toEqual([
				{
					json: {
						coinConfigId,
						configuration: 'DEFAULT',
						companyId: COMPANY_ID,
						event,
						amount: 20,
					},
					pairedItem: { item: 0 },
				},
			]);
			expect(nodeOutput(run, 'Update Event')[0].json).toMatchObject({
				coinConfigId,
				amount: 30,
				configuration: 'CUSTOM',
			});
			expect(nodeOutput(run, 'Allocate Coins')[0].json).toEqual({
				allocated: true,
				requestId: `REQ-${userId}`,
				companyId: COMPANY_ID,
				userId,
				event,
				message: 'Successfully allocated enkash Coins',
			});
			expect(nodeOutput(run, 'Get Balance')[0].json).toEqual({
				response_code: 0,
				response_message: 'Success',
				payload: 30,
			});
			expect(sandbox.balanceOf(userId)).toBe(30);
			expect(sandbox.tokenRequestCount() - tokenRequestsBefore).toBeLessThanOrEqual(
				authentication === 'password' ? 1 : 0,
			);
		});
	},
);

describe('the example workflows', () => {
	it('"create and update an event configuration" runs as shipped', async () => {
		const workflow = loadExample('configure-event.json');
		await n8n.importWorkflow(workflow);

		const { ok, run } = await n8n.execute(workflow.id);

		expect(ok).toBe(true);
		expect(nodeOutput(run, 'Read It Back')[0].json).toMatchObject({
			event: 'INVOICE_PAYMENT',
			amount: 10,
		});
		expect(sandbox.events().filter(({ event }) => event === 'INVOICE_PAYMENT')).toEqual([
			expect.objectContaining({ companyId: COMPANY_ID, amount: 10 }),
		]);
	});

	it('"flag users with a low balance" flags exactly the users under 100 coins', async () => {
		await allocateDirectly(USER_ID, ['R1', 'R2']);
		await allocateDirectly('EK6CYE6K', ['R3']);
		const workflow = manualVariant(loadExample('scheduled-balance-check.json'), {
			id: 'E2eBalanceManual',
		});
		await n8n.importWorkflow(workflow);

		const { ok, run } = await n8n.execute(workflow.id);

		expect(ok).toBe(true);
		expect(nodeOutput(run, 'Get Coin Balance').map(({ json }) => json)).toEqual([
			{ userId: USER_ID, balance: 120 },
			{ userId: 'EK6CYE6K', balance: 60 },
			{ userId: 'EKM4TQ2P', balance: 0 },
		]);
		expect(nodeOutput(run, 'Notify Loyalty Team').map(({ json }) => json.userId)).toEqual([
			'EK6CYE6K',
			'EKM4TQ2P',
		]);
	});
});

describe('the password credential in n8n', () => {
	// Expiring every token also revokes the one in the token credential: renew it.
	afterAll(async () => {
		await n8n.importCredentials(
			sandboxCredentials(sandbox).filter(({ type }) => type === 'enkashCoinsApi'),
		);
	});

	it('keeps its token between executions and renews it once it has expired', async () => {
		const workflow = manualVariant(loadExample('scheduled-balance-check.json'), {
			id: 'E2eTokenRenewal',
		});
		await n8n.importWorkflow(workflow);

		expect((await n8n.execute(workflow.id)).ok).toBe(true);
		expect((await n8n.execute(workflow.id)).ok).toBe(true);
		const afterTwoRuns = sandbox.tokenRequestCount();
		sandbox.expireAllTokens();
		const third = await n8n.execute(workflow.id);

		expect(afterTwoRuns).toBeLessThanOrEqual(1);
		expect(third.ok).toBe(true);
		expect(nodeOutput(third.run, 'Get Coin Balance')).toHaveLength(3);
		expect(sandbox.tokenRequestCount()).toBe(afterTwoRuns + 1);
	});
});

describe('a refused password in n8n', () => {
	const WRONG_PASSWORD = {
		id: 'EnkashWrongPassw',
		name: 'Enkash sandbox (wrong password)',
		type: 'enkashCoinsPasswordApi',
	};

	it('costs one token request, the test of its Save: three executions of a workflow with "On Error: Continue" then send nothing and say what to change', async () => {
		const { data } = sandboxCredentials(sandbox).find(({ type }) => type === WRONG_PASSWORD.type)!;
		await n8n.importCredentials([
			{ ...WRONG_PASSWORD, data: { ...data, password: 'not-the-password' } },
		]);
		const referrals = ['EKLOCK01', 'EKLOCK02'].map((referrerId, index) => ({
			body: { referrerId, referralId: `REF-LOCK-${index}` },
		}));
		const workflow = manualVariant(loadExample('referral-webhook-allocate.json'), {
			id: 'E2eWrongPassword',
			sampleItems: referrals,
		});
		for (const node of workflow.nodes.filter(({ type }: { type: string }) => type === NODE_TYPE)) {
			node.parameters.authentication = 'password';
			node.credentials = {
				[WRONG_PASSWORD.type]: { id: WRONG_PASSWORD.id, name: WRONG_PASSWORD.name },
			};
			node.onError = 'continueRegularOutput';
		}
		await n8n.importWorkflow(workflow);
		const tokenRequestsBefore = sandbox.tokenRequestCount();

		// Never accepted: an execution sends nothing.
		const unproven = await n8n.execute(workflow.id);
		expect(sandbox.tokenRequestCount()).toBe(tokenRequestsBefore);
		expect(
			nodeOutput(unproven.run, 'Allocate Referral Coins').map(({ json }) => json.error),
		).toEqual(Array(2).fill(NOT_ACCEPTED_MESSAGE));

		// The owner opens the credential in the editor, which tests what it loaded.
		await n8n.start();
		let saved;
		try {
			const stored = await n8n.rest('GET', `/credentials/${WRONG_PASSWORD.id}?includeData=true`);
			saved = await n8n.testCredential(WRONG_PASSWORD, stored.data);
		} finally {
			await n8n.stop();
		}
		expect(saved).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^Enkash refused the token request \(HTTP 400: Bad credentials\) at .+ UTC\. /,
			),
		});

		const executions = [];
		for (let execution = 0; execution < 3; execution++)
			executions.push(await n8n.execute(workflow.id));

		expect(sandbox.tokenRequestCount() - tokenRequestsBefore).toBe(1);
		expect(sandbox.allocations().filter(({ userId }) => userId.startsWith('EKLOCK'))).toEqual([]);
		for (const { ok, run, output } of executions) {
			expect({ ok, output: ok ? '' : output.stdout + output.stderr }).toEqual({
				ok: true,
				output: '',
			});
			const errors = nodeOutput(run, 'Allocate Referral Coins').map(({ json }) => json.error);
			expect(errors).toEqual(Array(2).fill(saved.message));
			for (const error of errors)
				expect(error).toMatch(
					/Correct the Username or Password in the credential and Save\. If Enkash has since restored these values, raise Login Attempt by one and Save: that sends one token request\.$/,
				);
		}
	});
});

describe('"On Error: Continue" in n8n', () => {
	it('outputs the failing item as an error and credits the others', async () => {
		sandbox.addFault({
			kind: 'envelopeFailure',
			message: 'User account is suspended',
			match: { body: { userId: 'EKBLOCKED' } },
		});
		const referrals = [USER_ID, 'EKBLOCKED', 'EK6CYE6K'].map((referrerId, index) => ({
			body: { referrerId, referralId: `REF-E2E-${index}` },
		}));
		const balancesBefore = Object.fromEntries(
			[USER_ID, 'EKBLOCKED', 'EK6CYE6K'].map((user) => [user, sandbox.balanceOf(user)]),
		);
		const workflow = manualVariant(loadExample('referral-webhook-allocate.json'), {
			id: 'E2eContinueOnFai',
			sampleItems: referrals,
		});
		await n8n.importWorkflow(workflow);

		const { ok, run } = await n8n.execute(workflow.id);

		expect(ok).toBe(true);
		expect(
			nodeOutput(run, 'Allocate Referral Coins').map(({ json, pairedItem }) => [
				json.allocated ?? json.error,
				pairedItem,
			]),
		).toEqual([
			[true, { item: 0 }],
			[
				'Enkash rejected the request: User account is suspended (POST /api/v0/enkash-coins/allocate-coin)',
				{ item: 1 },
			],
			[true, { item: 2 }],
		]);
		expect(
			[USER_ID, 'EKBLOCKED', 'EK6CYE6K'].map(
				(user) => sandbox.balanceOf(user) - balancesBefore[user],
			),
		).toEqual([60, 0, 60]);
	});
});

async function allocateDirectly(userId: string, requestIds: string[]) {
	for (const requestId of requestIds) {
		await fetch(`${sandbox.url}/api/v0/enkash-coins/allocate-coin`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${sandbox.issueToken()}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify({ companyId: COMPANY_ID, event: EVENT_NAME, userId, requestId }),
		});
	}
}
