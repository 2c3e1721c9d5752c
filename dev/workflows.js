// @ts-check
/**
 * The example workflows of examples/, and the changes that let them run
 * headless: a trigger that waits for a webhook or a schedule is swapped for a
 * manual one, optionally followed by sample input items.
 */
const fs = require('node:fs');
const path = require('node:path');

const { paths } = require('./runtime');

const EXAMPLES_DIR = path.join(paths.repoRoot, 'examples');
const WAITING_TRIGGERS = new Set(['n8n-nodes-base.webhook', 'n8n-nodes-base.scheduleTrigger']);
const WEBHOOK_ONLY = new Set(['n8n-nodes-base.respondToWebhook']);

/** The credential ids the examples refer to. */
const EXAMPLE_CREDENTIALS = {
	token: { id: 'EnkashSandboxTok', name: 'Enkash sandbox (token)', type: 'enkashCoinsApi' },
	password: {
		id: 'EnkashSandboxPwd',
		name: 'Enkash sandbox (password)',
		type: 'enkashCoinsPasswordApi',
	},
};

/** Where the sandbox keeps files for n8n to read: the CSV recipe's sample campaign. */
const SANDBOX_FILES_DIR = path.join(paths.repoRoot, 'sandbox', 'files');

/**
 * The examples' placeholders for what each company has its own of, and the
 * sandbox's values that loadExample puts in their place.
 */
const SANDBOX_VALUES = {
	YOUR_COMPANY_ID: 'CEK0TCW2W8',
	YOUR_REFERRAL_EVENT: 'REFERRAL_EVENT',
	YOUR_CAMPAIGN_EVENT: 'CAMPAIGN_BONUS',
	YOUR_INVOICE_EVENT: 'INVOICE_PAYMENT',
	YOUR_GOODWILL_EVENT: 'GOODWILL_BONUS',
	YOUR_USER_ID_1: 'EKQZVMQK',
	YOUR_USER_ID_2: 'EK6CYE6K',
	YOUR_USER_ID_3: 'EKM4TQ2P',
	YOUR_CSV_FILE: path.join(SANDBOX_FILES_DIR, 'campaign.csv'),
	YOUR_APPROVER_EMAIL: 'approver@example.com',
	YOUR_SENDER_EMAIL: 'n8n@example.com',
};
// No \b before a placeholder: in JSON, one after a line break follows the `n` of `\n`.
const PLACEHOLDER = new RegExp(`(${Object.keys(SANDBOX_VALUES).join('|')})(?![A-Z0-9_])`, 'g');

/**
 * An example workflow as shipped, with its placeholders.
 * @param {string} file e.g. 'referral-webhook-allocate.json'
 */
function readExample(file) {
	return fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
}

/**
 * An example workflow with the sandbox's values in place of its placeholders.
 * @param {string} file e.g. 'referral-webhook-allocate.json'
 */
function loadExample(file) {
	return JSON.parse(
		readExample(file).replace(
			PLACEHOLDER,
			(placeholder) => SANDBOX_VALUES[/** @type {keyof typeof SANDBOX_VALUES} */ (placeholder)],
		),
	);
}

/**
 * Both example credentials, pointing at a sandbox.
 * @param {{ url: string, credentials: { clientId: string, clientSecret: string, username: string, password: string }, issueToken: () => string }} sandbox
 */
function sandboxCredentials(sandbox) {
	const { clientId, clientSecret, username, password } = sandbox.credentials;
	return [
		{
			...EXAMPLE_CREDENTIALS.token,
			data: { baseUrl: sandbox.url, accessToken: sandbox.issueToken() },
		},
		{
			...EXAMPLE_CREDENTIALS.password,
			data: {
				baseUrl: sandbox.url,
				clientId,
				clientSecret,
				username,
				password,
				tokenUrl: '',
				sessionToken: '',
			},
		},
	];
}

/**
 * A copy of the workflow that starts from a Manual Trigger. With `sampleItems`,
 * the manual trigger is followed by nodes that output those items, standing in
 * for what the webhook or schedule would have delivered.
 * @param {any} workflow
 * @param {{ id: string, sampleItems?: object[] }} options
 */
function manualVariant(workflow, { id, sampleItems }) {
	const trigger = workflow.nodes.find((/** @type {any} */ node) => WAITING_TRIGGERS.has(node.type));
	const dropped = new Set(
		workflow.nodes
			.filter((/** @type {any} */ node) => node === trigger || WEBHOOK_ONLY.has(node.type))
			.map((/** @type {any} */ node) => node.name),
	);
	const nodes = workflow.nodes.filter((/** @type {any} */ node) => !dropped.has(node.name));
	/** @type {Record<string, any>} */
	const connections = {};
	for (const [from, outputs] of Object.entries(workflow.connections)) {
		if (dropped.has(from)) continue;
		connections[from] = {
			main: outputs.main.map((/** @type {any[]} */ targets) =>
				targets.filter((target) => !dropped.has(target.node)),
			),
		};
	}

	const start = manualTriggerNode(id, { name: 'Manual Start', position: [-440, 0] });
	nodes.push(start);
	let last = start.name;
	if (sampleItems) {
		nodes.push(
			{
				id: `${id}-sample`,
				name: 'Sample Input',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [-220, 0],
				parameters: {
					mode: 'raw',
					jsonOutput: JSON.stringify({ items: sampleItems }),
					options: {},
				},
			},
			{
				id: `${id}-split`,
				name: 'One Item Each',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [0, 0],
				parameters: { fieldToSplitOut: 'items', options: {} },
			},
		);
		connections[start.name] = { main: [[{ node: 'Sample Input', type: 'main', index: 0 }]] };
		connections['Sample Input'] = { main: [[{ node: 'One Item Each', type: 'main', index: 0 }]] };
		last = 'One Item Each';
	}
	connections[last] = { main: workflow.connections[trigger.name].main };
	return { ...workflow, id, name: `${workflow.name} (manual run)`, nodes, connections };
}

/**
 * A webhook example under another id and webhook path, optionally with its
 * Enkash Coins nodes logging in with another password credential: several can
 * then be published side by side.
 * @param {string} file
 * @param {{ id: string, path: string, credential?: { id: string, name: string } }} options
 */
function webhookVariant(file, { id, path: webhookPath, credential }) {
	const workflow = loadExample(file);
	return {
		...workflow,
		id,
		nodes: workflow.nodes.map((/** @type {any} */ node) => {
			if (node.type === 'n8n-nodes-base.webhook')
				return {
					...node,
					webhookId: `${id}-webhook`,
					parameters: { ...node.parameters, path: webhookPath },
				};
			if (credential && node.credentials)
				return { ...node, credentials: { enkashCoinsPasswordApi: credential } };
			return node;
		}),
	};
}

/**
 * n8n's Manual Trigger, the first node of a workflow run by hand or with `n8n execute`.
 * @param {string} workflowId @param {{ name?: string, position?: number[] }} [placement]
 */
function manualTriggerNode(workflowId, { name = 'Start', position = [0, 0] } = {}) {
	return {
		id: `${workflowId}-start`,
		name,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

/**
 * A workflow that starts from a Manual Trigger and runs `nodes` one after another.
 * @param {{ id: string, name: string, nodes: Array<Record<string, unknown> & { name: string }> }} workflow
 */
function manualWorkflow({ id, name, nodes }) {
	const all = [manualTriggerNode(id), ...nodes];
	const connections = Object.fromEntries(
		all
			.slice(0, -1)
			.map((node, index) => [
				node.name,
				{ main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] },
			]),
	);
	return {
		id,
		name,
		nodes: all,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

/**
 * The items of a node's first output in n8n's run data.
 * @param {any} run @param {string} nodeName
 * @returns {Array<{ json: any, pairedItem?: any }>}
 */
function nodeOutput(run, nodeName) {
	return run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

module.exports = {
	EXAMPLE_CREDENTIALS,
	SANDBOX_FILES_DIR,
	SANDBOX_VALUES,
	loadExample,
	manualVariant,
	manualWorkflow,
	nodeOutput,
	readExample,
	sandboxCredentials,
	webhookVariant,
};
