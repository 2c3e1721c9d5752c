/**
 * Safe campaigns, through n8n-core's engine against the sandbox: a dry run
 * sends nothing, a repeated Request ID is sent once in an execution (across
 * its batches too), a cap holds, and the totals reach the execution's custom
 * data and a hint above the output.
 */
import type { IRun } from 'n8n-workflow';

import { allocateCoins } from '../../../../nodes/EnkashCoins/resources/allocation/allocate';
import { useAllocationSandbox } from '../../../helpers/allocate';
import {
	ALLOCATE_FROM_INPUT,
	COMPANY_ID,
	EVENT_NAME,
	EVENT_AMOUNT,
} from '../../../helpers/fixtures';
import { NODE_NAME, TOOL_TYPE, runNode } from '../../../helpers/n8n-engine';
import { apiRequests, credentialsFor } from '../../../helpers/sandbox';

const { sandbox, allocate } = useAllocationSandbox();

const row = (userId: string, referralId: string) => ({ userId, referralId });
/** Five rows: row 3 repeats row 1's Request ID; row 4 gives row 0's user under another ID. */
const ROWS = [
	row('EKA', 'CAMPAIGN-EKA'),
	row('EKB', 'CAMPAIGN-EKB'),
	row('EKC', 'CAMPAIGN-EKC'),
	row('EKB', 'CAMPAIGN-EKB'),
	row('EKA', 'CAMPAIGN-EKA-AGAIN'),
];

const hintsOf = (run: IRun) =>
	(run.data.resultData.runData[NODE_NAME] ?? []).flatMap(({ hints }) =>
		(hints ?? []).map(({ message }) => message),
	);
const customDataOf = (run: IRun) => run.data.resultData.metadata ?? {};
const allocationRequests = () =>
	apiRequests(sandbox()).filter(({ path }) => path.endsWith('/allocate-coin'));

describe('Dry Run', () => {
	it('sends nothing, not even a token request, and says what each item would send', async () => {
		// A password credential nobody has saved yet: a real run could not send it either.
		const credentials = credentialsFor(sandbox(), 'password');
		const { items, error, run } = await runNode({
			parameters: {
				authentication: 'password',
				...ALLOCATE_FROM_INPUT,
				options: { dryRun: true },
			} as never,
			credentials,
			items: ROWS,
		});

		expect(error).toBeUndefined();
		expect(sandbox().requests).toEqual([]);
		expect(items?.map(({ json, pairedItem }) => [json, pairedItem])).toEqual(
			ROWS.map(({ userId, referralId }, index) => [
				{
					dryRun: true,
					companyId: COMPANY_ID,
					event: EVENT_NAME,
					userId,
					requestId: referralId,
					...(index === 3 ? { duplicateOf: 1 } : {}),
				},
				{ item: index },
			]),
		);
		expect(hintsOf(run)).toEqual([
			expect.stringMatching(
				/^Dry run: nothing was sent\. 5 items would credit 3 users for 1 event\. 1 item repeats an earlier item’s Request ID and would be sent once: item 3\. 1 item gives a user and event that an earlier item has under another Request ID, so both would be credited: item 4\./,
			),
		]);
		expect(customDataOf(run)).toMatchObject({ enkashDryRun: '5', enkashAllocated: '0' });
	});

	it('checks every item as a real run does: a blank row fails before anything is sent', async () => {
		const { items, error } = await allocate([row('', 'CAMPAIGN-BLANK'), ...ROWS.slice(0, 2)], {
			parameters: { options: { dryRun: true } },
		});

		expect(error?.message).toBe('"User ID" is required but is empty [item 0]');
		expect(items).toBeUndefined();
		expect(sandbox().requests).toEqual([]);
	});
});

describe('a Request ID repeated in one execution', () => {
	it('is sent once; the repeat carries the first item’s result and duplicateOf', async () => {
		const { items, run } = await allocate(ROWS.slice(0, 4));

		expect(
			allocationRequests().map(({ body }) => (body as { requestId: string }).requestId),
		).toEqual(['CAMPAIGN-EKA', 'CAMPAIGN-EKB', 'CAMPAIGN-EKC']);
		expect(items?.[3]).toEqual({
			json: { ...items?.[1].json, duplicateOf: 1 },
			pairedItem: { item: 3 },
		});
		expect(sandbox().balanceOf('EKB')).toBe(EVENT_AMOUNT);
		expect(customDataOf(run)).toMatchObject({
			enkashAllocated: '3',
			enkashRepeatsSentOnce: '1',
			enkashFailed: '0',
		});
		expect(hintsOf(run)).toEqual([
			'In this execution so far: 3 allocations sent and accepted, 1 repeat of an earlier Request ID sent once, 0 items failed.',
		]);
	});

	it('is sent once across the batches of one execution (Loop Over Items)', async () => {
		const credentials = credentialsFor(sandbox(), 'accessToken');
		const { runs, run } = await runNode({
			parameters: { authentication: 'accessToken', ...ALLOCATE_FROM_INPUT } as never,
			credentials,
			batches: [ROWS.slice(0, 2), ROWS.slice(1, 3)],
		});

		expect(allocationRequests()).toHaveLength(3);
		// The second batch's first item is the execution's third; it repeats the first batch's second.
		expect(runs[1]?.[0].json).toEqual({ ...runs[0]?.[1].json, duplicateOf: 1 });
		expect(runs[1]?.[1].json).toMatchObject({ allocated: true, requestId: 'CAMPAIGN-EKC' });
		expect(customDataOf(run)).toMatchObject({ enkashAllocated: '3', enkashRepeatsSentOnce: '1' });
	});

	it('that failed, fails again in its repeat without being sent', async () => {
		sandbox().addFault({
			kind: 'envelopeFailure',
			message: 'Refused',
			match: { body: { requestId: 'CAMPAIGN-EKB' } },
		} as never);

		const { items } = await allocate(ROWS.slice(0, 4), {
			settings: { onError: 'continueRegularOutput' },
		});

		expect(allocationRequests()).toHaveLength(3);
		expect(items?.[1].json).toMatchObject({ error: expect.stringMatching(/Refused/) });
		expect(items?.[3].json).toEqual({ ...items?.[1].json, duplicateOf: 1 });
	});
});

describe('n8n’s Retry On Fail, which runs the node again on the same items', () => {
	it('sends again only what failed: the items it already credited are not repeats of themselves', async () => {
		sandbox().addFault({
			kind: 'status',
			status: 500,
			times: 1,
			match: { body: { requestId: 'CAMPAIGN-EKC' } },
		} as never);

		const { items, run } = await allocate(ROWS.slice(0, 3), {
			parameters: { options: { maxConcurrency: 1 } },
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});

		expect(
			allocationRequests().map(({ body }) => (body as { requestId: string }).requestId),
		).toEqual(['CAMPAIGN-EKA', 'CAMPAIGN-EKB', 'CAMPAIGN-EKC', 'CAMPAIGN-EKC']);
		expect(items?.map(({ json }) => [json.requestId, json.allocated, json.duplicateOf])).toEqual([
			['CAMPAIGN-EKA', true, undefined],
			['CAMPAIGN-EKB', true, undefined],
			['CAMPAIGN-EKC', true, undefined],
		]);
		expect(customDataOf(run)).toMatchObject({
			enkashAllocated: '3',
			enkashRepeatsSentOnce: '0',
			enkashFailed: '0',
		});
	});
});

describe('Max Allocations per Execution', () => {
	it('sends no more than the cap; the items beyond it fail naming the option, and bad input does not count', async () => {
		const rows = [row('', 'CAMPAIGN-BLANK'), ...ROWS.slice(0, 3), row('EKD', 'CAMPAIGN-EKD')];

		const { items, run } = await allocate(rows, {
			parameters: { options: { maxAllocationsPerExecution: 2 } },
			settings: { onError: 'continueRegularOutput' },
		});

		expect(
			allocationRequests().map(({ body }) => (body as { requestId: string }).requestId),
		).toEqual(['CAMPAIGN-EKA', 'CAMPAIGN-EKB']);
		expect(items?.map(({ json }) => json.error ?? json.requestId)).toEqual([
			'"User ID" is required but is empty [item 0]',
			'CAMPAIGN-EKA',
			'CAMPAIGN-EKB',
			'Max Allocations per Execution (2) reached: 2 allocations were already sent in this execution, so this one was not sent [item 3]',
			'Max Allocations per Execution (2) reached: 2 allocations were already sent in this execution, so this one was not sent [item 4]',
		]);
		expect(customDataOf(run)).toMatchObject({ enkashAllocated: '2', enkashNotSentOverCap: '2' });
	});

	it('counts across the batches of one execution', async () => {
		const credentials = credentialsFor(sandbox(), 'accessToken');
		const { runs } = await runNode({
			parameters: {
				authentication: 'accessToken',
				...ALLOCATE_FROM_INPUT,
				options: { maxAllocationsPerExecution: 2 },
			} as never,
			credentials,
			batches: [ROWS.slice(0, 1), ROWS.slice(1, 3)],
			settings: { onError: 'continueRegularOutput' },
		});

		expect(allocationRequests()).toHaveLength(2);
		expect(runs[1]?.[1].json.error).toMatch(/^Max Allocations per Execution \(2\) reached/);
	});

	it('stops the node at the cap unless On Error continues', async () => {
		const { error } = await allocate(ROWS.slice(0, 3), {
			parameters: { options: { maxAllocationsPerExecution: 1, maxConcurrency: 1 } },
		});

		expect(error?.message).toMatch(/^Max Allocations per Execution \(1\) reached/);
		expect(error?.description).toMatch(/Raise Max Allocations per Execution/);
		expect(allocationRequests()).toHaveLength(1);
	});

	it('holds an AI Agent’s tool calls to 10 in one execution: each call is a run of the tool node', async () => {
		const users = Array.from({ length: 12 }, (_, index) => row(`EKTOOL${index}`, `TOOL-${index}`));
		const { runs } = await runNode({
			nodeType: TOOL_TYPE,
			parameters: { authentication: 'accessToken', ...ALLOCATE_FROM_INPUT, options: {} } as never,
			credentials: credentialsFor(sandbox(), 'accessToken'),
			batches: users.map((user) => [user]),
			settings: { onError: 'continueRegularOutput' },
		});

		expect(allocationRequests()).toHaveLength(10);
		expect(runs.map((items) => items?.[0].json.error ?? items?.[0].json.allocated)).toEqual([
			...Array(10).fill(true),
			...Array(2).fill(
				'Max Allocations per Execution (10) reached: 10 allocations were already sent in this execution, so this one was not sent [item 0]',
			),
		]);
	});

	it('is 10 for an AI Agent’s tool unless set, and none in a workflow', () => {
		const { safeguards } = allocateCoins.credit!;

		expect(safeguards({}, true)).toEqual({ dryRun: false, cap: 10 });
		expect(safeguards({}, false)).toEqual({ dryRun: false, cap: 0 });
		expect(safeguards({ maxAllocationsPerExecution: 0 }, true)).toEqual({ dryRun: false, cap: 0 });
		expect(safeguards({ maxAllocationsPerExecution: 3, dryRun: true }, true)).toEqual({
			dryRun: true,
			cap: 3,
		});
	});
});
