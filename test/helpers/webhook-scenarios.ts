/**
 * Published webhook workflows in one `n8n start`, each with its own password
 * credential and its own Enkash sandbox, as the end-to-end credential suites
 * use them: a referral posted to a scenario's webhook allocates with its
 * credential, and the sandbox records every token request it received.
 */
import { N8n } from '../../dev/n8n';
import { OWNER } from '../../dev/playground';
import { sandboxCredentials, webhookVariant } from '../../dev/workflows';
import { startSandbox } from '../../sandbox/enkash-sandbox';
import { COMPANY_ID, EVENT_NAME } from './fixtures';
import type { Sandbox } from './sandbox';

export interface WebhookScenario {
	credential: { id: string; name: string; type: string };
	/** The workflow its webhook starts, when not the referral one: given the scenario with its sandbox started. */
	workflow?: (each: WebhookScenario) => Record<string, unknown> & { id: string };
	/** Lifetime of the tokens its Enkash issues. */
	tokenTtlSeconds: number;
	workflowId: string;
	path: string;
	sandbox?: Sandbox;
}

/** A scenario named `${prefix}${key}` in ids and paths. */
export const webhookScenario = (
	prefix: string,
	key: string,
	name: string,
	tokenTtlSeconds = 3600,
): WebhookScenario => ({
	credential: { id: `${prefix}${key}`, name, type: 'enkashCoinsPasswordApi' },
	tokenTtlSeconds,
	workflowId: `${prefix}W${key}`,
	path: `${prefix}-${key}`.toLowerCase(),
});

/** The scenario's credential values, pointing at its sandbox. */
export function credentialData(
	{ sandbox }: WebhookScenario,
	overrides: Record<string, string> = {},
) {
	const { data } = sandboxCredentials(sandbox!)[1];
	return { ...data, ...overrides };
}

export const REFERRAL_EVENT = { companyId: COMPANY_ID, event: EVENT_NAME, amount: 50 };

/**
 * Starts each scenario's sandbox (with the referral event), imports the
 * credentials of `scenarios` and of `sharing` (scenarios with no sandbox of
 * their own: `dataOf` points their credentials at another's), publishes one
 * referral webhook workflow per scenario, and starts n8n.
 */
export async function startWebhookScenarios(
	scenarios: WebhookScenario[],
	{
		sharing = [],
		dataOf = (each) => credentialData(each),
	}: {
		sharing?: WebhookScenario[];
		dataOf?: (each: WebhookScenario) => Record<string, unknown>;
	} = {},
): Promise<N8n> {
	const n8n = N8n.create();
	for (const each of scenarios) {
		each.sandbox = await startSandbox({ tokenTtlSeconds: each.tokenTtlSeconds });
		each.sandbox.createEvent(REFERRAL_EVENT);
	}
	const all = [...scenarios, ...sharing];
	await n8n.importCredentials(all.map((each) => ({ ...each.credential, data: dataOf(each) })));
	const workflows = all.map(
		(each) =>
			each.workflow?.(each) ??
			webhookVariant('referral-webhook-allocate.json', {
				id: each.workflowId,
				path: each.path,
				credential: each.credential,
			}),
	);
	await n8n.importWorkflows(workflows);
	await n8n.start();
	await n8n.setupOwner(OWNER);
	await n8n.publishWorkflows(workflows.map(({ id }) => id));
	return n8n;
}

let referrals = 0;
/** Posts a referral to the scenario's published webhook; answers what the workflow responded. */
export async function postReferral(n8n: N8n, { path }: WebhookScenario) {
	referrals += 1;
	const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ referrerId: `EKR${referrals}`, referralId: `REF-E2E-${referrals}` }),
	});
	return (await response.json()) as { allocated?: boolean; error?: string };
}

/** What the sandbox's token endpoint received from `since` (an index into its requests) on. */
export function tokenRequestsSince(sandbox: Sandbox, since: number) {
	const sent = sandbox.requests.slice(since).filter(({ path }) => path === '/oauth/token');
	return { sent: sent.length, refused: sent.filter(({ outcome }) => outcome !== 'ok').length };
}

/**
 * The credential test n8n's editor sends on Save, each time the dialog opens,
 * and on Retry (which sends the same request again).
 */
export async function testCredential(
	n8n: N8n,
	each: WebhookScenario,
	data: Record<string, unknown>,
) {
	return await n8n.testCredential(each.credential, data);
}

/** The credential as the editor loads it when its dialog opens: password fields redacted. */
export async function openDialog(n8n: N8n, each: WebhookScenario) {
	const { data } = (await n8n.rest(
		'GET',
		`/credentials/${each.credential.id}?includeData=true`,
	)) as { data: Record<string, unknown> };
	return data;
}

/** The dialog's Save: the editor stores the values it holds, then tests them. */
export async function saveCredential(
	n8n: N8n,
	each: WebhookScenario,
	data: Record<string, unknown>,
) {
	await n8n.rest('PATCH', `/credentials/${each.credential.id}`, { ...each.credential, data });
	return await testCredential(n8n, each, data);
}
