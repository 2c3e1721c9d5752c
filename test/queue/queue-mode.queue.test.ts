/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * The package in n8n's queue mode, as teams run it at scale: PostgreSQL, Redis,
 * a main instance receiving the campaign webhook and workers running the
 * executions (dev/queue-mode.js), against sandboxes over loopback.
 *
 * Workers here take a job's lock for 20 s instead of n8n's 60 s, so that a
 * killed worker's job is noticed in about half a minute rather than two.
 */
import { sleep } from 'n8n-workflow';

import { OWNER } from '../../dev/playground';
import { startQueueMode } from '../../dev/queue-mode';
import { loadExample, sandboxCredentials } from '../../dev/workflows';
import { startSandbox } from '../../sandbox/enkash-sandbox';
import type { Sandbox } from '../helpers/sandbox';
import { allocationRequests, campaignAllocations, creditTally, sendCampaign } from './campaign';

const CAMPAIGN_EVENT = { companyId: 'CEK0TCW2W8', event: 'CAMPAIGN_BONUS', amount: 10 };
const CAMPAIGN_SIZE = 100_000;
const TOKEN_USES = 1000;
const figures: string[] = [];

type Cluster = Awaited<ReturnType<typeof startQueueMode>>;
let cluster: Cluster;
/** The campaign's Enkash. */
let enkash: Sandbox;
/** An Enkash whose tokens serve TOKEN_USES requests each. */
let expiringEnkash: Sandbox;
/** An Enkash the refused credential logs in to. */
let refusingEnkash: Sandbox;

const passwordCredential = (sandbox: Sandbox, id: string, name: string, data = {}) => {
	const credential = sandboxCredentials(sandbox)[1];
	return { ...credential, id, name, data: { ...credential.data, ...data } };
};
const CREDENTIALS = {
	expiring: { id: 'EnkashExpiryPwd0', name: 'Enkash tokens of 1,000 uses' },
	refused: { id: 'EnkashRefusedPwd', name: 'Enkash wrong password' },
};

interface WorkflowNode {
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}

/** The campaign example under another id and webhook path, logging in with another credential. */
function campaignWorkflow(id: string, path: string, credential?: { id: string; name: string }) {
	const workflow = loadExample('campaign-batch-allocate.json') as { nodes: WorkflowNode[] };
	return {
		...workflow,
		id,
		nodes: workflow.nodes.map((node) => {
			if (node.type === 'n8n-nodes-base.webhook')
				return { ...node, webhookId: `${id}-webhook`, parameters: { ...node.parameters, path } };
			if (credential && node.credentials)
				return { ...node, credentials: { enkashCoinsPasswordApi: credential } };
			return node;
		}),
	};
}
const WORKFLOWS = {
	campaign: campaignWorkflow('EnkashCampaignWh', 'enkash-campaign'),
	expiring: campaignWorkflow('EnkashCampaignEx', 'enkash-campaign-expiring', CREDENTIALS.expiring),
	refused: campaignWorkflow('EnkashCampaignRf', 'enkash-campaign-refused', CREDENTIALS.refused),
};
const webhookPath = (workflow: { nodes: WorkflowNode[] }) =>
	String(workflow.nodes[0].parameters.path);
const webhookUrl = (workflow: { nodes: WorkflowNode[] }) =>
	`${cluster.main.baseUrl}/webhook/${webhookPath(workflow)}`;

async function liveWorkers(count: number) {
	const live = () => cluster.workers.filter((worker) => worker.server !== undefined);
	while (live().length < count) await cluster.addWorker();
	return live();
}

const mebibytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

beforeAll(async () => {
	enkash = await startSandbox({ tokenTtlSeconds: 3600 });
	expiringEnkash = await startSandbox({ tokenTtlSeconds: 3600, tokenMaxUses: TOKEN_USES });
	refusingEnkash = await startSandbox();
	for (const sandbox of [enkash, expiringEnkash, refusingEnkash])
		sandbox.createEvent(CAMPAIGN_EVENT);
	cluster = await startQueueMode({
		workers: 1,
		log: () => undefined,
		env: {
			QUEUE_WORKER_LOCK_DURATION: '20000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
			QUEUE_WORKER_STALLED_INTERVAL: '10000',
		},
		prepare: async (main) => {
			await main.importCredentials([
				...sandboxCredentials(enkash),
				passwordCredential(expiringEnkash, CREDENTIALS.expiring.id, CREDENTIALS.expiring.name),
				passwordCredential(refusingEnkash, CREDENTIALS.refused.id, CREDENTIALS.refused.name, {
					password: 'wrong-password',
				}),
			]);
			for (const workflow of Object.values(WORKFLOWS)) {
				await main.importWorkflow(workflow);
				await main.publishWorkflow(workflow.id);
			}
		},
	});
	for (const workflow of Object.values(WORKFLOWS)) {
		await cluster.main.waitForWebhook(webhookPath(workflow));
	}
	await cluster.main.setupOwner(OWNER);
});

afterAll(async () => {
	await cluster?.stop();
	for (const sandbox of [enkash, expiringEnkash, refusingEnkash]) await sandbox?.close();
	process.stdout.write(`\nn8n queue mode (main, Redis, PostgreSQL)\n\n${figures.join('\n')}\n\n`);
});

describe.each([1, 2])('a campaign of 100,000 allocations with %i worker(s)', (workerCount) => {
	it('credits every user exactly once', async () => {
		const workers = await liveWorkers(workerCount);
		const allocations = campaignAllocations(`C${workerCount}`, CAMPAIGN_SIZE);

		const result = await sendCampaign(webhookUrl(WORKFLOWS.campaign), allocations);

		expect(result.failedAnswers).toEqual([]);
		expect(creditTally(enkash, allocations, CAMPAIGN_EVENT.amount)).toEqual({
			once: CAMPAIGN_SIZE,
			twice: 0,
			missing: 0,
		});
		expect(allocationRequests(enkash, allocations)).toEqual({ sent: CAMPAIGN_SIZE, repeated: 0 });
		figures.push(
			`campaign, ${workerCount} worker(s): ${CAMPAIGN_SIZE} allocations in ${result.batches} batches, ` +
				`${result.seconds.toFixed(1)} s (${Math.round(CAMPAIGN_SIZE / result.seconds)} per second); ` +
				`peak memory ${workers.map((worker) => mebibytes(worker.peakMemoryBytes())).join(' and ')} ` +
				`per worker, main ${mebibytes(cluster.main.peakMemoryBytes())}`,
		);
	});
});

describe('a worker killed in the middle of a batch', () => {
	it('fails its executions; the resent batches credit every user once, and Retry sends nothing', async () => {
		const [victim] = await liveWorkers(2);
		const allocations = campaignAllocations('K', 6000);
		const before = enkash.allocations().length;

		const campaign = sendCampaign(webhookUrl(WORKFLOWS.campaign), allocations, { inFlight: 6 });
		while (enkash.allocations().length - before < 1500) await sleep(50);
		await victim.kill();
		// What an operator's supervisor does: start the worker again.
		await cluster.addWorker();
		const result = await campaign;

		expect(result.failedAnswers.length).toBeGreaterThan(0);
		expect(result.failedAnswers.map(({ status }) => status)).toEqual(
			result.failedAnswers.map(() => 500),
		);
		expect(creditTally(enkash, allocations, CAMPAIGN_EVENT.amount)).toEqual({
			once: 6000,
			twice: 0,
			missing: 0,
		});
		const requests = allocationRequests(enkash, allocations);
		expect(requests.repeated).toBeGreaterThan(0);

		const executions = await workflowExecutions(WORKFLOWS.campaign.id);
		const failed = executions.filter(({ status }) => status !== 'success');
		expect(failed.length).toBe(result.failedAnswers.length);
		expect(failed.map(({ status }) => status)).toEqual(failed.map(() => 'error'));

		const sentBeforeRetry = enkash.requests.length;
		const retried = await cluster.main.rest('POST', `/executions/${failed[0].id}/retry`, {
			loadWorkflow: false,
		});
		const sentByRetry = enkash.requests.length - sentBeforeRetry;
		expect(sentByRetry).toBe(0);
		expect(creditTally(enkash, allocations, CAMPAIGN_EVENT.amount).once).toBe(6000);

		figures.push(
			`worker killed (SIGKILL) after ${1500} of 6000 credits: ${failed.length} executions ended "${failed[0].status}", ` +
				`${result.failedAnswers.length} batches answered 500 and were resent; ` +
				`${requests.sent} allocation requests, ${requests.repeated} repeats recognised by Request ID; ` +
				`6000 credited once, 0 twice, 0 missing; Retry of a failed execution ended "${retried.status}" ` +
				`having sent ${sentByRetry} requests; ${result.seconds.toFixed(1)} s in all`,
		);
	});
});

describe('tokens that expire during a campaign (password credential)', () => {
	it('are renewed with at most one token request per expiry and worker', async () => {
		await liveWorkers(2);
		const allocations = campaignAllocations('T', 10_000);

		const result = await sendCampaign(webhookUrl(WORKFLOWS.expiring), allocations, {
			batchSize: 500,
		});

		expect(result.failedAnswers).toEqual([]);
		expect(creditTally(expiringEnkash, allocations, CAMPAIGN_EVENT.amount).once).toBe(10_000);
		const expiries = Math.ceil(10_000 / TOKEN_USES);
		const tokenRequests = expiringEnkash.tokenRequestCount();
		expect(tokenRequests).toBeGreaterThanOrEqual(expiries);
		expect(tokenRequests).toBeLessThanOrEqual(expiries * 2 + 1);
		figures.push(
			`token expiry every ${TOKEN_USES} requests, 2 workers: ${tokenRequests} token requests ` +
				`for 10000 allocations (${expiries} tokens needed at least, bound ${expiries * 2 + 1})`,
		);
	});
});

describe('a wrong password with executions on both workers at once', () => {
	it('costs at most one token request per worker, then none until the credential is edited', async () => {
		const workers = await liveWorkers(2);
		const batches = campaignAllocations('W', 80);

		const concurrent = await sendCampaign(webhookUrl(WORKFLOWS.refused), batches, {
			batchSize: 10,
			inFlight: 8,
			resend: false,
		});
		const afterConcurrent = refusingEnkash.tokenRequestCount();
		const later = await sendCampaign(webhookUrl(WORKFLOWS.refused), batches.slice(0, 30), {
			batchSize: 10,
			inFlight: 3,
			resend: false,
		});

		expect(concurrent.failedAnswers).toHaveLength(8);
		expect(later.failedAnswers).toHaveLength(3);
		expect(refusingEnkash.tokenRequestCount()).toBe(afterConcurrent);
		// Executions on one worker share its token request; two workers may each send one.
		expect(afterConcurrent).toBeGreaterThanOrEqual(1);
		expect(afterConcurrent).toBeLessThanOrEqual(workers.length);
		expect(creditTally(refusingEnkash, batches, CAMPAIGN_EVENT.amount).missing).toBe(80);

		await editCredential(CREDENTIALS.refused.id, {
			...passwordCredential(refusingEnkash, CREDENTIALS.refused.id, CREDENTIALS.refused.name),
		});
		const corrected = await sendCampaign(webhookUrl(WORKFLOWS.refused), batches, {
			batchSize: 10,
			resend: false,
		});
		expect(corrected.failedAnswers).toEqual([]);
		expect(creditTally(refusingEnkash, batches, CAMPAIGN_EVENT.amount).once).toBe(80);
		figures.push(
			`wrong password, 8 executions at once on 2 workers, then 3 more: ${afterConcurrent} token request(s) in all; ` +
				`after the credential was edited: ${refusingEnkash.tokenRequestCount() - afterConcurrent} more, all 80 credited`,
		);
	});
});

async function workflowExecutions(
	workflowId: string,
): Promise<Array<{ id: string; status: string }>> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const page = await cluster.main.rest('GET', `/executions?limit=100&filter=${filter}`);
	return page.results;
}

async function editCredential(
	id: string,
	credential: { name: string; type: string; data: object },
) {
	await cluster.main.rest('PATCH', `/credentials/${id}`, credential);
}
