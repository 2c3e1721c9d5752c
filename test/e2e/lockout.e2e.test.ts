/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * The Enkash account lockout (3 refused token requests in a row) and the
 * password credential in production: published webhook workflows in one
 * `n8n start`, executions running at the same time, each scenario run
 * RUNS times and checked against the token requests the sandbox recorded.
 */
import { sleep } from 'n8n-workflow';

import type { N8n } from '../../dev/n8n';
import { NOT_ACCEPTED_MESSAGE } from '../../credentials/common/messages';
import {
	credentialData,
	openDialog as openWith,
	postReferral as postTo,
	saveCredential,
	startWebhookScenarios,
	testCredential as testWith,
	tokenRequestsSince,
	webhookScenario,
	type WebhookScenario as Scenario,
} from '../helpers/webhook-scenarios';

const RUNS = 5;

let n8n: N8n;
const figures: string[] = [];

const scenario = (key: string, name: string, tokenTtlSeconds?: number) =>
	webhookScenario('EnkashLockout', key, name, tokenTtlSeconds);
/** Tokens of the cost scenario: short, so that one is due for renewal within seconds. */
const SHORT_TOKEN_SECONDS = 6;
const SCENARIOS = {
	unproven: scenario('Un', 'Enkash, never used, wrong password'),
	rotated: scenario('Ro', 'Enkash, password rotated at Enkash'),
	busy: scenario('Bu', 'Enkash, 20 at once'),
	cost: scenario('Co', 'Enkash, tokens of 6 s', SHORT_TOKEN_SECONDS),
};

beforeAll(async () => {
	n8n = await startWebhookScenarios(Object.values(SCENARIOS), {
		dataOf: (each) =>
			credentialData(each, each === SCENARIOS.unproven ? { password: 'wrong' } : {}),
	});
}, 600_000);

afterAll(async () => {
	await n8n?.dispose();
	for (const each of Object.values(SCENARIOS)) await each.sandbox?.close();
	process.stdout.write(`\nProduction webhooks in one n8n process\n\n${figures.join('\n')}\n\n`);
});

const postReferral = (each: Scenario) => postTo(n8n, each);
const testCredential = (each: Scenario, data: Record<string, unknown>) => testWith(n8n, each, data);
const openDialog = (each: Scenario) => openWith(n8n, each);
const save = (each: Scenario, data: Record<string, unknown>) => saveCredential(n8n, each, data);

async function sixAtOnceThenThree(each: Scenario) {
	const answers = await Promise.all(Array.from({ length: 6 }, () => postReferral(each)));
	for (let call = 0; call < 3; call++) answers.push(await postReferral(each));
	return answers;
}

describe('production webhooks in one n8n process, with the password credential', () => {
	it(`a never-used wrong password: 6 calls at once, then 3, send no token request (${RUNS} runs)`, async () => {
		const each = SCENARIOS.unproven;
		const counts = [];
		for (let run = 0; run < RUNS; run++) {
			const since = each.sandbox!.requests.length;
			const answers = await sixAtOnceThenThree(each);

			expect(answers.map(({ error }) => error)).toEqual(answers.map(() => NOT_ACCEPTED_MESSAGE));
			counts.push(tokenRequestsSince(each.sandbox!, since).sent);
		}

		expect(counts).toEqual(counts.map(() => 0));
		expect(each.sandbox!.requests).toEqual([]);
		figures.push(
			`never-used wrong password, 6 calls at once then 3: token requests ${counts.join(', ')}`,
		);
	});

	it(`a proven password changed at Enkash, its tokens expired: 6 calls at once, then 3, send 1 refused token request (${RUNS} runs)`, async () => {
		const each = SCENARIOS.rotated;
		const sandbox = each.sandbox!;
		const refusals = [];
		for (let run = 0; run < RUNS; run++) {
			// The administrator types the current password into the credential and saves it.
			const beforeTest = sandbox.requests.length;
			expect(
				await save(each, { ...(await openDialog(each)), password: sandbox.credentials.password }),
			).toMatchObject({ status: 'OK' });
			expect(tokenRequestsSince(sandbox, beforeTest)).toEqual({ sent: 1, refused: 0 });

			sandbox.changePassword(`rotated-at-enkash-${run}`);
			sandbox.expireAllTokens();
			const since = sandbox.requests.length;
			const answers = await sixAtOnceThenThree(each);

			for (const { error } of answers)
				expect(error).toMatch(/^Enkash refused the token request \(HTTP 400: Bad credentials\)/);
			expect(answers.slice(6).map(({ error }) => error)).toEqual(
				answers
					.slice(6)
					.map(() =>
						expect.stringMatching(
							/Values Enkash refused are never sent again: .* raise Login Attempt by one and Save: that sends one token request\.$/,
						),
					),
			);
			const { sent, refused } = tokenRequestsSince(sandbox, since);
			expect(sent).toBe(refused);
			refusals.push(refused);
		}

		expect(refusals).toEqual(refusals.map(() => 1));
		expect(sandbox.isLocked()).toBe(false);
		expect(sandbox.allocations()).toEqual([]);
		figures.push(
			`proven password rotated at Enkash, tokens expired: refused token requests ${refusals.join(', ')}`,
		);
	});

	it(`the right password, proven, its tokens expired: 20 allocations at once send 1 token request (${RUNS} runs)`, async () => {
		const each = SCENARIOS.busy;
		const sandbox = each.sandbox!;
		expect(await testCredential(each, await openDialog(each))).toMatchObject({ status: 'OK' });
		const counts = [];
		for (let run = 0; run < RUNS; run++) {
			sandbox.expireAllTokens();
			const since = sandbox.requests.length;

			const answers = await Promise.all(Array.from({ length: 20 }, () => postReferral(each)));

			expect(answers.map(({ allocated }) => allocated)).toEqual(answers.map(() => true));
			counts.push(tokenRequestsSince(sandbox, since).sent);
		}

		expect(counts).toEqual(counts.map(() => 1));
		expect(sandbox.allocations()).toHaveLength(20 * RUNS);
		figures.push(
			`right password, tokens expired, 20 allocations at once: token requests ${counts.join(', ')}`,
		);
	});

	it('what a webhook execution pays: with a held token, renewing one before it expires, and after Enkash refused it', async () => {
		const each = SCENARIOS.cost;
		const sandbox = each.sandbox!;
		const timed = async () => {
			const started = performance.now();
			const { allocated } = await postReferral(each);
			expect(allocated).toBe(true);
			return performance.now() - started;
		};
		const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
		const held: number[] = [];
		const early: number[] = [];
		const refused: number[] = [];
		expect(await testCredential(each, await openDialog(each))).toMatchObject({ status: 'OK' });
		// When the token in use was issued: by the Test, then by the renewal after each refusal.
		let issuedAt = performance.now();
		for (let round = 0; round < RUNS; round++) {
			for (let call = 0; call < 3; call++) held.push(await timed());
			// Due for renewal (from 80 % of the lifetime), not yet expired.
			await sleep(SHORT_TOKEN_SECONDS * 1000 * 0.96 - (performance.now() - issuedAt));
			const before = tokenRequestsSince(sandbox, 0).sent;
			early.push(await timed());
			expect(tokenRequestsSince(sandbox, 0).sent).toBe(before + 1);
			sandbox.expireAllTokens();
			refused.push(await timed());
			issuedAt = performance.now();
		}
		const format = (values: number[]) =>
			`median ${median(values).toFixed(0)} ms (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
		figures.push(
			`one allocation through a published webhook, password credential: token held ${format(held)}; ` +
				`token renewed before it expires ${format(early)}; token refused by Enkash (401) ${format(refused)}; ` +
				'each renewal includes the 1 s its claim takes to settle',
		);
	});
});
