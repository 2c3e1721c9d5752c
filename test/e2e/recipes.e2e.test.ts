/**
 * The campaign recipes of examples/ in the pinned n8n: the CSV campaign reads
 * the sandbox's campaign file from disk and runs end to end against the sandbox; the Google Sheets one needs Google, so it is
 * imported and every node type it uses must resolve in that n8n.
 */
import { N8n, freePort } from '../../dev/n8n';
import { OWNER } from '../../dev/playground';
import {
	EXAMPLE_CREDENTIALS,
	SANDBOX_VALUES,
	loadExample,
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
