/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * The recipe "an AI Agent credits goodwill coins once a person approves by
 * email" in the pinned n8n (2.x: n8n 1.x has no human review of tool calls),
 * published and fed support tickets by its webhook. Its OpenAI Chat Model
 * talks to a scripted model on loopback, its approval email goes to a mail
 * server on loopback, and the test clicks the email's buttons as the approver
 * would.
 */
import { sleep } from 'n8n-workflow';

import { N8n } from '../../dev/n8n';
import { OWNER } from '../../dev/playground';
import {
	EXAMPLE_CREDENTIALS,
	SANDBOX_VALUES,
	loadExample,
	sandboxCredentials,
} from '../../dev/workflows';
import { startSandbox } from '../../sandbox/enkash-sandbox';
import {
	questionOf,
	startScriptedChatModel,
	toolNamed,
	toolResults,
	type ChatRequest,
} from '../helpers/scripted-chat-model';
import { startSmtpSink } from '../helpers/smtp-sink';

const recipe = loadExample('support-agent-human-review.json');
const credentialOf = (nodeName: string) =>
	Object.values(
		recipe.nodes.find(({ name }: { name: string }) => name === nodeName).credentials,
	)[0] as { id: string; name: string };
const WEBHOOK_PATH = recipe.nodes.find(
	({ type }: { type: string }) => type === 'n8n-nodes-base.webhook',
).parameters.path;
const GOODWILL_EVENT = SANDBOX_VALUES.YOUR_GOODWILL_EVENT;
const BROWSER =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36';

const ticketOf = (request: ChatRequest) => {
	const [, ticket, userId] = /ticket (\S+) from (\S+?)[.:]/.exec(questionOf(request)) ?? [];
	return { ticket, userId };
};
/** What the tools answered the model, as text. */
const toolAnswers = (request: ChatRequest) =>
	toolResults(request).map(({ content }) => content ?? '');

/** The model asks to credit the ticket's user once, then reports what the tool answered. */
function goodwillScript(request: ChatRequest) {
	const answers = toolAnswers(request);
	if (answers.length > 0) return { text: `Tool answered: ${answers.join(' | ')}` };
	const { ticket, userId } = ticketOf(request);
	return {
		toolCalls: [
			{
				name: toolNamed(request, 'Credit'),
				// A tool behind human review takes its own parameters and the reviewer's.
				arguments: { toolParameters: { userId, requestId: ticket }, hitlParameters: {} },
			},
		],
	};
}

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let model: Awaited<ReturnType<typeof startScriptedChatModel>>;
let mail: Awaited<ReturnType<typeof startSmtpSink>>;
let n8n: N8n;

beforeAll(async () => {
	sandbox = await startSandbox({ tokenTtlSeconds: 3600 });
	sandbox.createEvent({
		companyId: SANDBOX_VALUES.YOUR_COMPANY_ID,
		event: GOODWILL_EVENT,
		amount: 50,
	});
	model = await startScriptedChatModel(goodwillScript);
	mail = await startSmtpSink();
	n8n = N8n.create();
	await n8n.importCredentials([
		...sandboxCredentials(sandbox),
		{
			...credentialOf('Chat Model'),
			type: 'openAiApi',
			data: { apiKey: 'sk-scripted', url: model.url },
		},
		{
			...credentialOf('Approve by Email'),
			type: 'smtp',
			data: { host: '127.0.0.1', port: mail.port, secure: false, disableStartTls: true },
		},
	]);
	await n8n.importWorkflow(recipe);
	await n8n.start();
	await n8n.setupOwner(OWNER);
	await n8n.acceptLogin(EXAMPLE_CREDENTIALS.password);
	await n8n.publishWorkflows([recipe.id]);
}, 600_000);

afterAll(async () => {
	await n8n?.dispose();
	await mail?.close();
	await model?.close();
	await sandbox?.close();
});

async function until<T>(what: string, read: () => T | undefined | Promise<T | undefined>) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const value = await read();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Waited 60 s for ${what}:\n${n8n.serverLog}`);
		await sleep(200);
	}
}

/** Posts a ticket, waits for the approval email, clicks `button` in it, and waits for the execution to end. */
async function ticketReviewed(ticket: string, userId: string, button: 'Approve' | 'Decline') {
	const emailsBefore = mail.messages.length;
	await fetch(`${n8n.baseUrl}/webhook/${WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			message: `Goodwill for ticket ${ticket} from ${userId}: the order came late.`,
		}),
	});
	const email = await until('the approval email', () => mail.messages[emailsBefore]);
	const sentBeforeClick = sandbox.allocations().length;
	const link = new URL(mail.linksOf(email)[button]);
	// As a person's browser: n8n answers a client it takes for a bot (a mail scanner) and resumes nothing.
	const clicked = await fetch(`${n8n.baseUrl}${link.pathname}${link.search}`, {
		headers: { 'user-agent': BROWSER },
	});
	const answer = await until(`the model's last turn for ${ticket}`, () =>
		model.requests.find(
			(request) => ticketOf(request).ticket === ticket && toolAnswers(request).length > 0,
		),
	);
	return { email, sentBeforeClick, clicked, toolResult: toolAnswers(answer)[0] };
}

describe('"an AI Agent credits goodwill coins once a person approves by email"', () => {
	it('waits for the approver: declined, it sends nothing and the agent is told so', async () => {
		const { email, sentBeforeClick, clicked, toolResult } = await ticketReviewed(
			'T-201',
			'EKREVIEW1',
			'Decline',
		);

		expect(email).toContain('Approve a goodwill credit?');
		// What the approver decides on: the user and the Request ID the model chose.
		expect(email).toContain('User: EKREVIEW1');
		expect(email).toContain('Request ID (the ticket): T-201');
		expect(sentBeforeClick).toBe(0);
		expect(clicked.status).toBe(200);
		expect(JSON.parse(toolResult)).toEqual([
			{ output: expect.stringMatching(/^User rejected the tool call to Credit Goodwill Coins /) },
		]);
		expect(sandbox.allocations()).toEqual([]);
		expect(sandbox.requests.filter(({ path }) => path.endsWith('/allocate-coin'))).toEqual([]);
	});

	it('approved, it sends exactly one allocation, with the ticket as Request ID', async () => {
		const { sentBeforeClick, clicked, toolResult } = await ticketReviewed(
			'T-202',
			'EKREVIEW2',
			'Approve',
		);

		expect(sentBeforeClick).toBe(0);
		expect(clicked.status).toBe(200);
		expect(JSON.parse(toolResult)).toEqual([
			{
				allocated: true,
				requestId: 'T-202',
				companyId: SANDBOX_VALUES.YOUR_COMPANY_ID,
				userId: 'EKREVIEW2',
				event: GOODWILL_EVENT,
				message: 'Successfully allocated enkash Coins',
			},
		]);
		expect(sandbox.allocations().map(({ userId, requestId }) => [userId, requestId])).toEqual([
			['EKREVIEW2', 'T-202'],
		]);
		expect(sandbox.balanceOf('EKREVIEW2')).toBe(50);
	});
});
