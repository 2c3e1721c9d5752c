/**
 * How a team spreads a large campaign over n8n's workers: batches of
 * allocations posted to the published campaign webhook (examples/
 * campaign-batch-allocate.json), a few at a time, each resent until n8n
 * answers 200. A resent batch keeps its Request IDs, so only the allocations
 * not yet credited are credited.
 */
import type { Sandbox } from '../helpers/sandbox';

export interface Allocation {
	userId: string;
	requestId: string;
}

/** `count` allocations of one user each, named after the campaign. */
export function campaignAllocations(name: string, count: number): Allocation[] {
	return Array.from({ length: count }, (_, index) => ({
		userId: `${name}-U${index}`,
		requestId: `${name}-R${index}`,
	}));
}

export interface CampaignOptions {
	batchSize?: number;
	/** Batches waiting for n8n's answer at once. */
	inFlight?: number;
	/** Resend a batch that failed; without, its answer is kept. */
	resend?: boolean;
	/** Asked before each batch: once it answers true, no more batches are sent. */
	stopWhen?: () => boolean;
}

export interface CampaignResult {
	seconds: number;
	batches: number;
	/** Answers other than 200, one per failed attempt. */
	failedAnswers: Array<{ batch: number; status: number; body: string }>;
	/** The allocations of the batches sent (all, unless stopped). */
	sent: Allocation[];
}

export async function sendCampaign(
	webhookUrl: string,
	allocations: Allocation[],
	{ batchSize = 1000, inFlight = 6, resend = true, stopWhen = () => false }: CampaignOptions = {},
): Promise<CampaignResult> {
	const started = Date.now();
	const batches: Allocation[][] = [];
	for (let start = 0; start < allocations.length; start += batchSize) {
		batches.push(allocations.slice(start, start + batchSize));
	}
	const failedAnswers: CampaignResult['failedAnswers'] = [];
	const sent: Allocation[] = [];
	let next = 0;
	const lane = async () => {
		while (next < batches.length && !stopWhen()) {
			const batch = next++;
			sent.push(...batches[batch]);
			for (;;) {
				const answer = await post(webhookUrl, { allocations: batches[batch] });
				if (answer.status === 200) break;
				failedAnswers.push({ batch, ...answer });
				if (!resend) break;
			}
		}
	};
	await Promise.all(Array.from({ length: inFlight }, lane));
	return { seconds: (Date.now() - started) / 1000, batches: batches.length, failedAnswers, sent };
}

/**
 * How long a batch waits for n8n's answer. The slowest a test expects is about a
 * minute (a killed worker's jobs, noticed when their lock runs out). Rarely, on a
 * busy 2-core machine, n8n's main instance has left a call unanswered until the
 * client gave up after 5 minutes; such a batch counts as failed after 2.
 */
const ANSWER_TIMEOUT_MS = 120_000;

async function post(url: string, body: unknown) {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
		});
		return { status: response.status, body: await response.text() };
	} catch (error) {
		return { status: 0, body: String(error) };
	}
}

/** How the campaign's users were credited: each must hold exactly one event amount. */
export function creditTally(sandbox: Sandbox, allocations: Allocation[], amount: number) {
	let once = 0;
	let twice = 0;
	let missing = 0;
	for (const { userId } of allocations) {
		const balance = sandbox.balanceOf(userId);
		if (balance === amount) once += 1;
		else if (balance === 0) missing += 1;
		else twice += 1;
	}
	return { once, twice, missing };
}

/** Allocation requests the sandbox received for the campaign, and how many repeated a Request ID. */
export function allocationRequests(sandbox: Sandbox, allocations: Allocation[]) {
	const ids = new Set(allocations.map(({ requestId }) => requestId));
	const seen = new Set<string>();
	let sent = 0;
	let repeated = 0;
	for (const { path, body } of sandbox.requests) {
		const requestId = (body as { requestId?: string } | undefined)?.requestId;
		if (path !== '/api/v0/enkash-coins/allocate-coin' || !requestId || !ids.has(requestId))
			continue;
		sent += 1;
		if (seen.has(requestId)) repeated += 1;
		seen.add(requestId);
	}
	return { sent, repeated };
}
