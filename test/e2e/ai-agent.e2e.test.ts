/**
 * The Enkash Coins node as an AI Agent's tools in the real n8n (the newest
 * pinned, or n8n 1.123 with N8N_E2E_RUNTIME): n8n's AI Agent
 * with its OpenAI Chat Model pointed at a scripted, OpenAI-compatible model on
 * loopback, and two Enkash Coins tools whose fields the model fills ($fromAI).
 * A support question needs a balance read and a goodwill credit; one more
 * credit names an event that does not exist, and its error goes back to the
 * model as the tool's result.
 */
import { N8n } from '../../dev/n8n';
import { OWNER } from '../../dev/playground';
import { EXAMPLE_CREDENTIALS, sandboxCredentials } from '../../dev/workflows';
import { startSandbox } from '../../sandbox/enkash-sandbox';
import {
	questionOf,
	startScriptedChatModel,
	toolNamed,
	toolResults,
	type ChatRequest,
} from '../helpers/scripted-chat-model';
import { COMPANY_ID, USER_ID } from '../helpers/fixtures';
import { TOOL_ALLOCATION_CAP } from '../../nodes/EnkashCoins/resources/allocation/allocate';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type ScriptedModel = Awaited<ReturnType<typeof startScriptedChatModel>>;

const QUESTION = `How many coins does ${USER_ID} have? Credit the 50-coin goodwill bonus for ticket T-123, and the birthday bonus too.`;
const OPENAI_CREDENTIAL = { id: 'ScriptedOpenAi01', name: 'Scripted model', type: 'openAiApi' };

/** The model's script: first the tool calls, then an answer built from their results. */
function supportAgentScript(request: ChatRequest) {
	if (toolResults(request).length === 0) {
		const credit = toolNamed(request, 'Credit');
		return {
			toolCalls: [
				{ name: toolNamed(request, 'Balance'), arguments: { userId: USER_ID } },
				{
					name: credit,
					arguments: { eventName: 'GOODWILL_BONUS', userId: USER_ID, requestId: 'T-123' },
				},
				{
					name: credit,
					arguments: { eventName: 'BIRTHDAY_BONUS', userId: USER_ID, requestId: 'T-123-BDAY' },
				},
				{
					name: credit,
					arguments: { eventName: 'GOODWILL_BONUS', userId: ' ', requestId: 'T-124' },
				},
			],
		};
	}
	const [balance, goodwill, birthday, blank] = toolResults(request).map(
		({ content }) => content ?? '',
	);
	return {
		text: `Balance read: ${balance} | Goodwill: ${goodwill} | Birthday: ${birthday} | Blank user: ${blank}`,
	};
}

/** Twelve users to credit: two more than the tool's cap of 10 allocations per execution. */
const CAP_USERS = Array.from(
	{ length: 12 },
	(_, index) => `EKCAP${String(index + 1).padStart(2, '0')}`,
);
const CAP_QUESTION = `Credit the 50-coin goodwill bonus to each of these users: ${CAP_USERS.join(', ')}.`;

/** A model that credits all twelve in one turn, then repeats what the tool answered. */
function creditEveryoneScript(request: ChatRequest) {
	if (toolResults(request).length === 0) {
		const credit = toolNamed(request, 'Credit');
		return {
			toolCalls: CAP_USERS.map((userId) => ({
				name: credit,
				arguments: { eventName: 'GOODWILL_BONUS', userId, requestId: `GOODWILL-${userId}` },
			})),
		};
	}
	return {
		text: toolResults(request)
			.map(({ content }) => content)
			.join('\n'),
	};
}

const script = (request: ChatRequest) =>
	questionOf(request) === CAP_QUESTION
		? creditEveryoneScript(request)
		: supportAgentScript(request);

function agentWorkflow(
	{ id, question }: { id: string; question: string },
	tools: Array<Record<string, unknown>>,
) {
	const agent = {
		id: 'agent',
		name: 'Support Agent',
		type: '@n8n/n8n-nodes-langchain.agent',
		// 3: the newest AI Agent that n8n 1.123 has too.
		typeVersion: 3,
		position: [220, 0],
		parameters: { promptType: 'define', text: question, options: {} },
	};
	const model = {
		id: 'model',
		name: 'Scripted Model',
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		typeVersion: 1.2,
		position: [100, 200],
		parameters: { model: { __rl: true, mode: 'id', value: 'scripted' }, options: {} },
		credentials: { openAiApi: { id: OPENAI_CREDENTIAL.id, name: OPENAI_CREDENTIAL.name } },
	};
	return {
		id,
		name: `Agent with Enkash Coins tools (${id})`,
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			agent,
			model,
			...tools,
		],
		connections: {
			Start: { main: [[{ node: agent.name, type: 'main', index: 0 }]] },
			[model.name]: {
				ai_languageModel: [[{ node: agent.name, type: 'ai_languageModel', index: 0 }]],
			},
			...Object.fromEntries(
				tools.map(({ name }) => [
					name,
					{ ai_tool: [[{ node: agent.name, type: 'ai_tool', index: 0 }]] },
				]),
			),
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

const enkashTool = (name: string, parameters: Record<string, unknown>) => ({
	id: name.toLowerCase().replace(/\s/g, '-'),
	name,
	type: 'n8n-nodes-enkash-coins.enkashCoinsTool',
	typeVersion: 1,
	position: [400, 200],
	parameters: { authentication: 'password', ...parameters, options: {} },
	credentials: {
		enkashCoinsPasswordApi: {
			id: EXAMPLE_CREDENTIALS.password.id,
			name: EXAMPLE_CREDENTIALS.password.name,
		},
	},
});

const fromAI = (key: string, description: string) =>
	`={{ $fromAI('${key}', \`${description}\`, 'string') }}`;

const balanceTool = enkashTool('Get Coin Balance', {
	resource: 'balance',
	operation: 'get',
	userId: fromAI('userId', `The Enkash ID of the user, for example ${USER_ID}`),
});
const creditTool = enkashTool('Credit Coins', {
	resource: 'allocation',
	operation: 'allocate',
	companyId: COMPANY_ID,
	eventName: fromAI('eventName', 'The coin event, for example GOODWILL_BONUS'),
	userId: fromAI('userId', 'The Enkash ID of the user to credit'),
	requestId: fromAI('requestId', 'A stable key for this credit, such as the ticket ID'),
});

let sandbox: Sandbox;
let model: ScriptedModel;
let n8n: N8n;

beforeAll(async () => {
	sandbox = await startSandbox({ tokenTtlSeconds: 3600 });
	sandbox.createEvent({ companyId: COMPANY_ID, event: 'GOODWILL_BONUS', amount: 50 });
	sandbox.setBalances({ [USER_ID]: 120 });
	model = await startScriptedChatModel(script);
	n8n = N8n.create();
	await n8n.importCredentials([
		...sandboxCredentials(sandbox),
		{ ...OPENAI_CREDENTIAL, data: { apiKey: 'sk-scripted', url: model.url } },
	]);
	// The agent's tool sends only a login Enkash has accepted: the owner saves
	// the password credential in the editor first, which tests it.
	await n8n.acceptLogins([EXAMPLE_CREDENTIALS.password], OWNER);
}, 600_000);

afterAll(async () => {
	await n8n?.dispose();
	await model?.close();
	await sandbox?.close();
});

describe('the Enkash Coins node as an AI Agent’s tool', () => {
	it('reads a balance, credits a bonus with the model’s Request ID, and returns a refusal and a blank user to the model as errors', async () => {
		const workflow = agentWorkflow({ id: 'E2eSupportAgent1', question: QUESTION }, [
			balanceTool,
			creditTool,
		]);
		await n8n.importWorkflow(workflow);
		const since = sandbox.requests.length;

		const { ok, run, output } = await n8n.execute(workflow.id);

		expect({
			ok,
			error: run?.data?.resultData?.error,
			output: ok ? '' : output.stdout.slice(-2000),
		}).toEqual({
			ok: true,
			error: undefined,
			output: '',
		});
		// What the model was offered: one tool per node, described for a model.
		const requests = model.requests.filter((request) => questionOf(request) === QUESTION);
		const [first, second] = requests;
		expect(requests).toHaveLength(2);
		const offered = first.tools?.map(({ function: tool }) => [tool.name, tool.description]);
		expect(offered?.sort()).toEqual([
			['Credit_Coins', 'Allocate coins to a user (real coins, cannot be undone) in Enkash Coins'],
			['Get_Coin_Balance', 'Get the coin balance of a user in Enkash Coins'],
		]);
		// What the model got back from each call: results, and the node's errors as results.
		const results = toolResults(second).map(({ content }) => JSON.parse(content ?? ''));
		expect(results).toEqual([
			[{ userId: USER_ID, balance: 120 }],
			[
				{
					allocated: true,
					requestId: 'T-123',
					companyId: COMPANY_ID,
					userId: USER_ID,
					event: 'GOODWILL_BONUS',
					message: 'Successfully allocated enkash Coins',
				},
			],
			[
				{
					error: `Enkash rejected the request: No coin configuration found for event BIRTHDAY_BONUS of company ${COMPANY_ID} (POST /api/v0/enkash-coins/allocate-coin)`,
				},
			],
			[{ error: '"User ID" is required but is empty [item 0]' }],
		]);
		// What Enkash received: the balance read and two credits, with the token the
		// credential's test stored; the blank user was never sent.
		expect(
			sandbox.requests.slice(since).map(({ method, path, body }) => [method, path, body]),
		).toEqual([
			['GET', '/api/v0/coins/balance', undefined],
			[
				'POST',
				'/api/v0/enkash-coins/allocate-coin',
				{
					companyId: COMPANY_ID,
					event: 'GOODWILL_BONUS',
					userId: USER_ID,
					requestId: 'T-123',
				},
			],
			[
				'POST',
				'/api/v0/enkash-coins/allocate-coin',
				{
					companyId: COMPANY_ID,
					event: 'BIRTHDAY_BONUS',
					userId: USER_ID,
					requestId: 'T-123-BDAY',
				},
			],
		]);
		expect(sandbox.balanceOf(USER_ID)).toBe(170);
		const [balance, goodwill, birthday, blank] = toolResults(second).map(({ content }) => content);
		const answer = run.data.resultData.runData['Support Agent'][0].data.main[0][0].json.output;
		expect(answer).toBe(
			`Balance read: ${balance} | Goodwill: ${goodwill} | Birthday: ${birthday} | Blank user: ${blank}`,
		);
	});

	it(`credits no more than ${TOOL_ALLOCATION_CAP} users in one execution unless told otherwise: asked for 12, the other 2 calls answer the cap's message`, async () => {
		const workflow = agentWorkflow({ id: 'E2eCreditTwelve1', question: CAP_QUESTION }, [
			creditTool,
		]);
		await n8n.importWorkflow(workflow);

		const { ok, run, output } = await n8n.execute(workflow.id);

		expect({ ok, output: ok ? '' : output.stdout.slice(-2000) }).toEqual({ ok: true, output: '' });
		const answered = model.requests.filter((request) => questionOf(request) === CAP_QUESTION);
		const results = toolResults(answered[answered.length - 1]).map(({ content }) =>
			JSON.parse(content ?? ''),
		);
		const sent = results.filter(([result]) => result.allocated === true);
		const refused = results.filter(([result]) => result.error !== undefined);
		expect([sent.length, refused.length]).toEqual([TOOL_ALLOCATION_CAP, 12 - TOOL_ALLOCATION_CAP]);
		for (const [result] of refused)
			expect(result.error).toBe(
				`Max Allocations per Execution (${TOOL_ALLOCATION_CAP}) reached: ${TOOL_ALLOCATION_CAP} allocations were already sent in this execution, so this one was not sent [item 0]`,
			);
		// What Enkash received: ten credits, each user at most once.
		const credited = sandbox
			.allocations()
			.filter(({ userId }) => CAP_USERS.includes(userId))
			.map(({ userId }) => userId);
		expect(credited).toHaveLength(TOOL_ALLOCATION_CAP);
		expect(new Set(credited).size).toBe(TOOL_ALLOCATION_CAP);
		expect(run.data.resultData.runData['Support Agent'][0].data.main[0][0].json.output).toBe(
			toolResults(answered[answered.length - 1])
				.map(({ content }) => content)
				.join('\n'),
		);
	});
});
