// @ts-check
/**
 * The sandbox and a real n8n with this package, both sandbox credentials and
 * the example workflows: what `npm start` and `npm run start:queue` run on.
 */
const { startSandbox } = require('../sandbox/enkash-sandbox');
const { N8n } = require('./n8n');
const { startQueueMode } = require('./queue-mode');
const {
	EXAMPLE_CREDENTIALS,
	SANDBOX_VALUES,
	loadExample,
	sandboxCredentials,
} = require('./workflows');

const log = (/** @type {string} */ line) => console.error(line);

const EXAMPLE_FILES = [
	'referral-webhook-allocate.json',
	'scheduled-balance-check.json',
	'configure-event.json',
	'campaign-batch-allocate.json',
	'low-balance-alert-trigger.json',
	'csv-campaign-allocate.json',
];
/** The examples a webhook starts: published, so that their webhooks answer. */
const WEBHOOK_EXAMPLES = ['referral-webhook-allocate.json', 'campaign-batch-allocate.json'];
/** The events the examples credit, configured in the demo sandbox. */
const DEMO_EVENTS = [
	{ event: SANDBOX_VALUES.YOUR_REFERRAL_EVENT, amount: 50 },
	{ event: SANDBOX_VALUES.YOUR_CAMPAIGN_EVENT, amount: 10 },
	{ event: SANDBOX_VALUES.YOUR_GOODWILL_EVENT, amount: 50 },
].map((event) => ({ companyId: SANDBOX_VALUES.YOUR_COMPANY_ID, ...event }));

/** The sandbox as a person exploring the editor meets it: the examples' events, long-lived tokens. */
async function startDemoSandbox(/** @type {number} */ port) {
	const sandbox = await startSandbox({ port, tokenTtlSeconds: 24 * 3600 });
	for (const event of DEMO_EVENTS) sandbox.createEvent(event);
	return sandbox;
}

/**
 * Imports both sandbox credentials and the examples into an n8n that has not
 * started.
 * @param {N8n} n8n @param {import('../sandbox/enkash-sandbox').Sandbox} sandbox
 */
async function importExamples(n8n, sandbox) {
	await n8n.importCredentials(sandboxCredentials(sandbox));
	await n8n.importWorkflows(EXAMPLE_FILES.map(loadExample));
}

/** The webhook path of an example. @param {string} file */
function webhookPathOf(file) {
	return loadExample(file).nodes.find(
		(/** @type {any} */ node) => node.type === 'n8n-nodes-base.webhook',
	).parameters.path;
}

const OWNER = { email: 'owner@example.com', password: 'Enkash-Coins-2026' };

/**
 * Sets up the owner of a started n8n, publishes the webhook examples and has
 * Enkash accept the password credential's login they use, as a person does by
 * saving the credential in the editor (a credential test): every execution
 * sends only a login Enkash has accepted.
 * @param {N8n} n8n
 */
async function signInAndPublish(n8n) {
	await n8n.setupOwner(OWNER);
	await n8n.publishWorkflows(WEBHOOK_EXAMPLES.map((file) => loadExample(file).id));
	await n8n.acceptLogin(EXAMPLE_CREDENTIALS.password);
}

/**
 * The demo sandbox and what `start` runs against it: `start` cleans up after
 * itself if it fails, and returns what it started with a `stop`; the result's
 * `stop()` stops both.
 * @template {{ stop: () => Promise<void> }} T
 * @param {number} sandboxPort @param {(sandbox: import('../sandbox/enkash-sandbox').Sandbox) => Promise<T>} start
 */
async function onDemoSandbox(sandboxPort, start) {
	const sandbox = await startDemoSandbox(sandboxPort);
	let started;
	try {
		started = await start(sandbox);
	} catch (error) {
		await sandbox.close();
		throw error;
	}
	const running = started;
	return {
		...running,
		sandbox,
		async stop() {
			await running.stop();
			await sandbox.close();
		},
	};
}

/**
 * The playground: the demo sandbox and the n8n editor with the examples
 * imported, the webhook examples published and an owner account set up.
 * @param {{ editorPort?: number, sandboxPort?: number }} [options]
 */
async function startEditor({ editorPort, sandboxPort = 0 } = {}) {
	return await onDemoSandbox(sandboxPort, async (sandbox) => {
		log('Preparing n8n with the Enkash Coins package...');
		const n8n = N8n.create();
		try {
			await importExamples(n8n, sandbox);
			log('Starting the n8n editor...');
			await n8n.start({ port: editorPort });
			await signInAndPublish(n8n);
		} catch (error) {
			await n8n.dispose();
			throw error;
		}
		return { n8n, owner: OWNER, stop: () => n8n.dispose() };
	});
}

/**
 * The same in n8n's queue mode: PostgreSQL, Redis, the main instance serving
 * the editor and webhooks, and workers running the executions.
 * @param {{ editorPort?: number, sandboxPort?: number, workers?: number }} [options]
 */
async function startQueueEditor({ editorPort, sandboxPort = 0, workers = 2 } = {}) {
	return await onDemoSandbox(sandboxPort, async (sandbox) => {
		const cluster = await startQueueMode({
			workers,
			port: editorPort,
			prepare: (main) => importExamples(main, sandbox),
		});
		try {
			await signInAndPublish(cluster.main);
		} catch (error) {
			await cluster.stop();
			throw error;
		}
		return { cluster, owner: OWNER, stop: cluster.stop };
	});
}

module.exports = {
	OWNER,
	startEditor,
	startQueueEditor,
	webhookPathOf,
};
