/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * The fault campaign: bulk allocations through the node in n8n's execution
 * engine while the sandbox misbehaves. After each scenario every user's balance
 * is checked against what was intended: no user may be credited twice or
 * missed. The figures are printed as a table at the end (and quoted in the
 * README's "Reliability" section).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	ALLOCATE_FROM_INPUT,
	COMPANY_ID,
	EVENT_AMOUNT,
	EVENT_NAME,
	referralItems,
} from '../helpers/fixtures';
import {
	runNode,
	testCredential,
	type NodeRunResult,
	type NodeSettings,
} from '../helpers/n8n-engine';
import {
	apiRequests,
	credentialsFor,
	type AuthenticationMode,
	type Sandbox,
} from '../helpers/sandbox';
import { startSandbox } from '../../sandbox/enkash-sandbox';

const USERS = 300;

interface Scenario {
	name: string;
	authentication?: AuthenticationMode;
	sandboxOptions?: Parameters<typeof startSandbox>[0];
	faults?: Array<Parameters<Sandbox['addFault']>[0]>;
	options?: Record<string, unknown>;
	settings?: NodeSettings;
	credentialOverrides?: ICredentialDataDecryptedObject;
	/** Users the scenario makes fail on purpose: they must come out as errors and stay at 0. */
	failingUsers?: string[];
	/** Extra checks on the run and the figures. */
	verify?: (run: NodeRunResult, figures: Figures) => void;
}

interface Figures {
	scenario: string;
	requests: number;
	retries: number;
	tokenRequests: number;
	correct: number;
	twice: number;
	missing: number;
	errorItems: number;
	seconds: number;
}

const report: Figures[] = [];

async function runScenario(scenario: Scenario): Promise<{ run: NodeRunResult; figures: Figures }> {
	const sandbox = await startSandbox(scenario.sandboxOptions);
	try {
		sandbox.createEvent({ companyId: COMPANY_ID, event: EVENT_NAME, amount: EVENT_AMOUNT });
		for (const fault of scenario.faults ?? []) sandbox.addFault(fault);
		const items = referralItems(USERS, 'EKCAMP');
		const authentication = scenario.authentication ?? 'accessToken';
		const credentials = credentialsFor(sandbox, authentication, scenario.credentialOverrides);
		// A password credential is saved in n8n's editor first, which tests it: one token request.
		if (authentication === 'password') await testCredential(credentials, 'enkashCoinsPasswordApi');
		const started = Date.now();
		const run = await runNode({
			parameters: {
				authentication,
				...ALLOCATE_FROM_INPUT,
				options: scenario.options ?? {},
			} as never,
			credentials,
			items,
			settings: scenario.settings,
		});
		const failing = new Set(scenario.failingUsers ?? []);
		const sent = apiRequests(sandbox);
		const balances = items.map(({ userId }) => ({ userId, balance: sandbox.balanceOf(userId) }));
		const expected = (userId: string) => (failing.has(userId) ? 0 : EVENT_AMOUNT);
		const figures: Figures = {
			scenario: scenario.name,
			requests: sent.length,
			retries:
				sent.length -
				new Set(sent.map(({ body }) => (body as { requestId: string }).requestId)).size,
			tokenRequests: sandbox.tokenRequestCount(),
			correct: balances.filter(({ userId, balance }) => balance === expected(userId)).length,
			twice: balances.filter(({ userId, balance }) => balance > expected(userId)).length,
			missing: balances.filter(({ userId, balance }) => balance < expected(userId)).length,
			errorItems: run.items?.filter(({ json }) => json.error !== undefined).length ?? 0,
			seconds: (Date.now() - started) / 1000,
		};
		report.push(figures);
		return { run, figures };
	} finally {
		await sandbox.close();
	}
}

function expectEveryUserCreditedOnce(run: NodeRunResult, figures: Figures) {
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(USERS);
	expect(
		run.items?.every(
			({ json }, index) => json.allocated === true && json.userId === `EKCAMP${index}`,
		),
	).toBe(true);
	expect(figures).toMatchObject({ correct: USERS, twice: 0, missing: 0 });
}

const scenarios: Scenario[] = [
	{
		name: '10 % of requests answered 503',
		faults: [{ kind: 'status', status: 503, every: 10 }],
		verify: (run, figures) => {
			expectEveryUserCreditedOnce(run, figures);
			expect(figures.retries).toBeGreaterThanOrEqual(USERS / 10 - 1);
		},
	},
	{
		name: '10 % answered 429 with Retry-After: 1',
		faults: [{ kind: 'status', status: 429, retryAfter: 1, every: 10 }],
		verify: (run, figures) => {
			expectEveryUserCreditedOnce(run, figures);
			expect(figures.retries).toBeGreaterThanOrEqual(USERS / 10 - 1);
		},
	},
	{
		name: '10 % of connections reset after the credit was applied',
		faults: [{ kind: 'reset', afterProcessing: true, every: 10 }],
		verify: expectEveryUserCreditedOnce,
	},
	{
		name: '10 % of connections reset before the API saw them',
		faults: [{ kind: 'reset', every: 10 }],
		verify: expectEveryUserCreditedOnce,
	},
	{
		name: '4 % stalled past the 1 s timeout, credit applied',
		faults: [{ kind: 'stall', afterProcessing: true, every: 25 }],
		options: { timeout: 1000 },
		verify: expectEveryUserCreditedOnce,
	},
	{
		name: 'token expires every 50 requests (password)',
		authentication: 'password',
		sandboxOptions: { tokenMaxUses: 50 },
		verify: (run, figures) => {
			expectEveryUserCreditedOnce(run, figures);
			// Each token serves 50 credits: one token per 50 users is the floor.
			const tokensNeeded = Math.ceil(USERS / 50);
			expect(figures.tokenRequests).toBeGreaterThanOrEqual(tokensNeeded);
			expect(figures.tokenRequests).toBeLessThanOrEqual(tokensNeeded * 2);
		},
	},
	{
		name: 'wrong password (password, On Error: Continue)',
		authentication: 'password',
		credentialOverrides: { password: 'not-the-password' },
		settings: { onError: 'continueRegularOutput' },
		failingUsers: referralItems(USERS, 'EKCAMP').map(({ userId }) => userId),
		verify: (run, figures) => {
			expect(figures).toMatchObject({
				tokenRequests: 1,
				requests: 0,
				errorItems: USERS,
				twice: 0,
				missing: 0,
			});
			expect(run.items?.[0].json.error).toMatch(
				/^Enkash refused the token request \(HTTP 400: Bad credentials\) at .* Values Enkash refused are never sent again/,
			);
		},
	},
	{
		name: 'wrong password (password, node fails)',
		authentication: 'password',
		credentialOverrides: { password: 'not-the-password' },
		failingUsers: referralItems(USERS, 'EKCAMP').map(({ userId }) => userId),
		verify: (run, figures) => {
			expect(figures).toMatchObject({ tokenRequests: 1, requests: 0, twice: 0, missing: 0 });
			expect(run.error?.message).toMatch(
				/^Enkash refused the token request \(HTTP 400: Bad credentials\) at .* Values Enkash refused are never sent again/,
			);
		},
	},
	{
		name: 'HTTP-200 failure envelope for 3 users (On Error: Continue)',
		faults: [
			{
				kind: 'envelopeFailure',
				message: 'User account is suspended',
				match: { body: { userId: 'EKCAMP7' } },
			},
			{
				kind: 'envelopeFailure',
				message: 'User account is suspended',
				match: { body: { userId: 'EKCAMP150' } },
			},
			{
				kind: 'envelopeFailure',
				message: 'User account is suspended',
				match: { body: { userId: 'EKCAMP299' } },
			},
		],
		settings: { onError: 'continueRegularOutput' },
		failingUsers: ['EKCAMP7', 'EKCAMP150', 'EKCAMP299'],
		verify: (run, figures) => {
			expect(figures).toMatchObject({ correct: USERS, twice: 0, missing: 0, errorItems: 3 });
			const errors = run.items?.flatMap(({ json, pairedItem }) =>
				json.error ? [[json.userId ?? null, pairedItem]] : [],
			);
			expect(errors).toEqual([
				[null, { item: 7 }],
				[null, { item: 150 }],
				[null, { item: 299 }],
			]);
			expect(run.items?.[150].json.error).toBe(
				'Enkash rejected the request: User account is suspended (POST /api/v0/enkash-coins/allocate-coin)',
			);
		},
	},
	{
		name: 'rate limit 50/s, answers after 25 ms, Max Concurrent Requests 20',
		sandboxOptions: { latencyMs: 25, rateLimit: { perSecond: 50 } },
		options: { maxConcurrency: 20 },
		verify: (run, figures) => {
			expectEveryUserCreditedOnce(run, figures);
			// After the first second's 429s the node paces itself under the limit: about 18
			// of the 300 were throttled and resent (about 50 with the concurrency alone, 95
			// holding 20 in flight regardless).
			expect(figures.retries).toBeLessThan(USERS * 0.1);
		},
	},
	{
		name: "503s plus n8n's Retry On Fail re-running the node",
		faults: [
			// One user fails four times in a row: the node gives up, n8n runs it again.
			{ kind: 'status', status: 503, match: { body: { userId: 'EKCAMP150' } }, times: 4 },
			{ kind: 'status', status: 503, every: 10 },
		],
		settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 },
		verify: (run, figures) => {
			expectEveryUserCreditedOnce(run, figures);
			// n8n runs the node again on the same items; the allocations the first attempt
			// credited are not sent again (their output is kept), only the one that failed.
			expect(figures.requests).toBeLessThan(USERS * 1.3);
		},
	},
];

describe('fault campaign', () => {
	afterAll(() => {
		const header =
			'| scenario | requests | resent | token requests | balance as intended | credited twice | missing | error items | seconds |';
		const rows = report.map(
			(figures) =>
				`| ${figures.scenario} | ${figures.requests} | ${figures.retries} | ${figures.tokenRequests} | ${figures.correct}/${USERS} | ${figures.twice} | ${figures.missing} | ${figures.errorItems} | ${figures.seconds.toFixed(1)} |`,
		);
		process.stdout.write(
			`\nFault campaign, ${USERS} users per scenario\n\n${header}\n|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\n`,
		);
	});

	it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
		'%s',
		async (_name, scenario) => {
			const { run, figures } = await runScenario(scenario);
			scenario.verify?.(run, figures);
			expect(figures.twice).toBe(0);
			expect(figures.missing).toBe(0);
		},
	);
});
