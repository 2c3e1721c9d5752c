/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * The campaign recipes of examples/ in the pinned n8n: the CSV campaign reads
 * the sandbox's campaign file from disk and runs end to end against the sandbox;
 * the batch campaign, fed 1,000 rows, shows the safeguards (Dry Run, repeats
 * sent once, the cap) on the newest n8n and on the floor; the Google Sheets one needs Google, so it is
 * imported and every node type it uses must resolve in that n8n.
 */
import type { IDataObject } from 'n8n-workflow';

import { N8n, freePort } from '../../dev/n8n';
import { OWNER } from '../../dev/playground';
import {
	EXAMPLE_CREDENTIALS,
	SANDBOX_VALUES,
	loadExample,
	manualVariant,
	nodeOutput,
	sandboxCredentials,
} from '../../dev/workflows';
import { startSandbox } from '../../sandbox/enkash-sandbox';

const COMPANY_ID = SANDBOX_VALUES.YOUR_COMPANY_ID;
const CAMPAIGN_EVENT = SANDBOX_VALUES.YOUR_CAMPAIGN_EVENT;
const CAMPAIGN_AMOUNT = 10;
/** The users of the sandbox's campaign.csv, which has one row without a user ID. */
const CSV_USERS = ['EKT7PQ2A', 'EKR4WX9M', 'EKH2ND5L'];

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let n8n: N8n;

beforeAll(async () => {
	sandbox = await startSandbox({ tokenTtlSeconds: 3600 });
	sandbox.createEvent({ companyId: COMPANY_ID, event: CAMPAIGN_EVENT, amount: CAMPAIGN_AMOUNT });
	n8n = N8n.create();
	await n8n.importCredentials(sandboxCredentials(sandbox));
	// Executions send only a login Enkash has accepted: the owner saves the
	// password credential in the editor first, which tests it.
	await n8n.acceptLogins([EXAMPLE_CREDENTIALS.password], OWNER);
}, 600_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

describe('"credit a campaign from the rows of a CSV", reading the file from disk', () => {
	const shipped = loadExample('csv-campaign-allocate.json');
	/** The recipe once the person has turned Dry Run off, as its sticky note says to. */
	const workflow = {
		...shipped,
		nodes: shipped.nodes.map((node: { name: string; parameters: { options?: object } }) =>
			node.name === 'Allocate Campaign Coins'
				? {
						...node,
						parameters: {
							...node.parameters,
							options: { ...node.parameters.options, dryRun: false },
						},
					}
				: node,
		),
	};

	it('first runs dry: every row shows what it would send, the blank row its error, and nothing is sent', async () => {
		await n8n.importWorkflow(shipped);

		const { ok, run } = await n8n.execute(shipped.id);

		expect(ok).toBe(true);
		expect(
			nodeOutput(run, 'Allocate Campaign Coins').map(({ json }) => json.dryRun ?? json.error),
		).toEqual([true, true, '"User ID" is required but is empty [item 2]', true]);
		expect(nodeOutput(run, 'Allocate Campaign Coins')[0].json).toMatchObject({
			name: 'Asha Rao',
			requestId: 'DIWALI-2026-EKT7PQ2A',
		});
		expect(sandbox.allocations()).toEqual([]);
	});

	it('with Dry Run off, credits every row with a user, reports the blank row as an error item, each next to the row’s fields', async () => {
		await n8n.importWorkflow(workflow);

		const { ok, run, output } = await n8n.execute(workflow.id);

		expect({ ok, output: ok ? '' : output.stdout + output.stderr }).toEqual({
			ok: true,
			output: '',
		});
		const outcome = (userId: string, name: string, email: string) => ({
			userId,
			name,
			email,
			allocated: true,
			requestId: `DIWALI-2026-${userId}`,
			companyId: COMPANY_ID,
			event: CAMPAIGN_EVENT,
			message: 'Successfully allocated enkash Coins',
		});
		expect(nodeOutput(run, 'Allocate Campaign Coins')).toEqual([
			{ json: outcome('EKT7PQ2A', 'Asha Rao', 'asha.rao@example.com'), pairedItem: { item: 0 } },
			{
				json: outcome('EKR4WX9M', 'Ravi Kumar', 'ravi.kumar@example.com'),
				pairedItem: { item: 1 },
			},
			{
				json: {
					name: 'Meera Shah',
					email: 'meera.shah@example.com',
					error: '"User ID" is required but is empty [item 2]',
					description:
						'If some input items have no "User ID", filter them out with a Filter node before this one.',
				},
				pairedItem: { item: 2 },
			},
			{
				json: outcome('EKH2ND5L', 'Kabir Singh', 'kabir.singh@example.com'),
				pairedItem: { item: 3 },
			},
		]);
		expect(nodeOutput(run, 'Campaign Results')).toHaveLength(4);
		expect(sandbox.allocations()).toEqual(
			CSV_USERS.map((userId) => ({
				companyId: COMPANY_ID,
				event: CAMPAIGN_EVENT,
				userId,
				requestId: `DIWALI-2026-${userId}`,
				amount: CAMPAIGN_AMOUNT,
			})),
		);
		expect(CSV_USERS.map((userId) => sandbox.balanceOf(userId))).toEqual([10, 10, 10]);
	});

	it('run again, credits nobody twice', async () => {
		const { ok, run } = await n8n.execute(workflow.id);

		expect(ok).toBe(true);
		expect(nodeOutput(run, 'Allocate Campaign Coins').map(({ json }) => json.allocated)).toEqual([
			true,
			true,
			undefined,
			true,
		]);
		expect(CSV_USERS.map((userId) => sandbox.balanceOf(userId))).toEqual([10, 10, 10]);
		expect(sandbox.allocations()).toHaveLength(CSV_USERS.length);
	});
});

/**
 * Safe campaigns, on the campaign recipe fed 1,000 rows: 995 distinct, 3
 * repeating an earlier row's Request ID, and 2 giving an earlier row's user
 * and event under another Request ID.
 */
describe('safe campaigns: the campaign recipe with 1,000 rows', () => {
	const distinct = Array.from({ length: 995 }, (_, index) => ({
		userId: `EKSAFE${index}`,
		requestId: `SAFE-2026-${index}`,
	}));
	const ROWS = [
		...distinct,
		distinct[10],
		distinct[20],
		distinct[30],
		{ ...distinct[40], requestId: 'SAFE-2026-40-B' },
		{ ...distinct[50], requestId: 'SAFE-2026-50-B' },
	];
	const REPEATS = [995, 996, 997];
	const ALLOCATE = 'Allocate Campaign Coins';

	/** The recipe run by hand on the rows, with Allocate's options, optionally in batches of 100 (Loop Over Items). */
	function campaign(id: string, options: Record<string, unknown>, inBatches = false) {
		const workflow = manualVariant(loadExample('campaign-batch-allocate.json'), {
			id,
			sampleItems: [{ body: { allocations: ROWS } }],
		});
		workflow.nodes = workflow.nodes.map((node: { name: string; parameters: object }) =>
			node.name === ALLOCATE
				? { ...node, onError: 'continueRegularOutput', parameters: { ...node.parameters, options } }
				: node,
		);
		if (inBatches) {
			workflow.nodes.push({
				id: `${id}-loop`,
				name: 'Loop Over Items',
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				position: [440, 200],
				parameters: { batchSize: 100, options: {} },
			});
			const to = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
			workflow.connections['One Item Per Allocation'] = to('Loop Over Items');
			workflow.connections['Loop Over Items'] = {
				main: [[], [{ node: ALLOCATE, type: 'main', index: 0 }]],
			};
			workflow.connections[ALLOCATE] = to('Loop Over Items');
		}
		return workflow;
	}

	/** Allocate's output items over all its runs (one per batch), in order. */
	type Run = {
		data: { resultData: { runData: Record<string, Array<{ data: { main: IDataObject[][] } }>> } };
	};
	const allocateItems = (run: Run) =>
		run.data.resultData.runData[ALLOCATE].flatMap((task) => task.data.main[0]) as Array<{
			json: IDataObject;
		}>;
	/**
	 * The execution's custom data in `n8n execute`'s output. n8n 1.x leaves it out
	 * of that output and of the execution it saves; 2.x has it in both.
	 */
	const ON_1X = (process.env.N8N_E2E_RUNTIME ?? '').startsWith('n8n-1.');
	const expectCustomData = (
		run: { data: { resultData: { metadata?: Record<string, string> } } },
		expected: Record<string, string>,
	) => {
		if (!ON_1X) expect(run.data.resultData.metadata).toMatchObject(expected);
	};
	const sentRequestIds = () => sandbox.allocations().map(({ requestId }) => requestId);

	beforeEach(() => sandbox.reset());
	beforeEach(() =>
		sandbox.createEvent({ companyId: COMPANY_ID, event: CAMPAIGN_EVENT, amount: CAMPAIGN_AMOUNT }),
	);

	it('Dry Run: no request of any kind; 1,000 items, duplicateOf on the 3 repeats; the hint names the 3 and the 2', async () => {
		const workflow = campaign('EnkashSafeDryRun', { dryRun: true });
		await n8n.importWorkflow(workflow);

		const { ok, run } = await n8n.execute(workflow.id);

		expect(ok).toBe(true);
		expect(sandbox.requests).toEqual([]);
		const items = allocateItems(run);
		expect(items).toHaveLength(1000);
		expect(items.every(({ json }) => json.dryRun === true)).toBe(true);
		expect(REPEATS.map((index) => items[index].json.duplicateOf)).toEqual([10, 20, 30]);
		expect(items.filter(({ json }) => json.duplicateOf !== undefined)).toHaveLength(3);
		const [hint] = run.data.resultData.runData[ALLOCATE][0].hints.map(
			({ message }: { message: string }) => message,
		);
		expect(hint).toMatch(/items 995, 996, 997\./);
		expect(hint).toMatch(/another Request ID, so both would be credited: items 998, 999\./);
		expectCustomData(run, { enkashDryRun: '1000' });
	});

	it.each([
		['in one run', false],
		['in batches of 100 (Loop Over Items)', true],
	])(
		'Dry Run off, %s: 997 allocations sent, each repeat carries its first’s result and duplicateOf',
		async (_, inBatches) => {
			const workflow = campaign(`EnkashSafeReal${inBatches ? 'B' : '1'}`, {}, inBatches);
			await n8n.importWorkflow(workflow);

			const { ok, run } = await n8n.execute(workflow.id);

			expect(ok).toBe(true);
			expect(sentRequestIds()).toHaveLength(997);
			expect(new Set(sentRequestIds()).size).toBe(997);
			const items = allocateItems(run);
			expect(items).toHaveLength(1000);
			for (const [index, first] of [
				[995, 10],
				[996, 20],
				[997, 30],
			])
				expect(items[index].json).toEqual({ ...items[first].json, duplicateOf: first });
			expectCustomData(run, {
				enkashAllocated: '997',
				enkashRepeatsSentOnce: '3',
				enkashFailed: '0',
			});
		},
	);

	it('Max Allocations per Execution 500: exactly 500 sent; the rows beyond it fail naming the option', async () => {
		const workflow = campaign('EnkashSafeCapped', { maxAllocationsPerExecution: 500 });
		await n8n.importWorkflow(workflow);

		const { ok, run } = await n8n.execute(workflow.id);

		expect(ok).toBe(true);
		expect(sentRequestIds()).toHaveLength(500);
		const failed = allocateItems(run).filter(({ json }) =>
			/^Max Allocations per Execution \(500\) reached/.test(String(json.error ?? '')),
		);
		// Rows 500 to 999 are not sent, but the 3 repeats carry their first's result.
		expect(failed).toHaveLength(497);
		expectCustomData(run, { enkashAllocated: '500', enkashNotSentOverCap: '497' });

		// What the executions list shows of it: the counts, as the execution's custom data.
		// n8n 1.123.81 saves none from a node (docs/operations.md): there the hint carries them.
		if (ON_1X) return;
		await n8n.start();
		try {
			const [execution] = await n8n.workflowExecutions(workflow.id);
			const { customData } = await n8n.rest('GET', `/executions/${execution.id}`);
			expect(customData).toEqual({
				enkashAllocated: '500',
				enkashRepeatsSentOnce: '3',
				enkashFailed: '0',
				enkashDryRun: '0',
				enkashNotSentOverCap: '497',
			});
		} finally {
			await n8n.stop();
		}
	});
});

describe('"credit a campaign from a Google Sheet and write each outcome back"', () => {
	const workflow = loadExample('google-sheets-campaign-allocate.json');

	beforeAll(async () => {
		await n8n.importWorkflow(workflow);
		// The owner was set up when the password credential was saved (beforeAll above).
		await n8n.start({ port: await freePort() });
	}, 300_000);

	it('imports into the pinned n8n with every node type and version known to it', async () => {
		const imported = (await n8n.rest('GET', `/workflows/${workflow.id}`)) as {
			nodes: Array<{ name: string; type: string; typeVersion: number }>;
		};
		expect(imported.nodes.map(({ name }) => name)).toEqual(
			workflow.nodes.map(({ name }: { name: string }) => name),
		);

		const unknown = [];
		for (const { name, type, typeVersion } of imported.nodes) {
			const [description] = (await n8n
				.rest('POST', '/node-types', { nodeInfos: [{ name: type, version: typeVersion }] })
				.catch(() => [undefined])) as Array<{ name: string; version: number | number[] } | null>;
			const versions = [description?.version].flat();
			// n8n names a node type here without its package: googleSheets for n8n-nodes-base.googleSheets.
			if (!type.endsWith(`.${description?.name}`) || !versions.includes(typeVersion))
				unknown.push(`${name} (${type} v${typeVersion})`);
		}
		expect(unknown).toEqual([]);
	});
});
