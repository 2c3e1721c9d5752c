// @ts-check
/**
 * The sandbox and a real n8n with this package, both sandbox credentials and
 * the example workflows: what `npm start` and `npm run demo` run on.
 */
const { startSandbox } = require('../sandbox/enkash-sandbox');
const { N8n } = require('./n8n');
const { loadExample, sandboxCredentials } = require('./workflows');

const EXAMPLE_FILES = [
	'referral-webhook-allocate.json',
	'scheduled-balance-check.json',
	'configure-event.json',
];
const DEMO_EVENT = { companyId: 'CEK0TCW2W8', event: 'REFERRAL_EVENT', amount: 50 };

/**
 * @param {{ sandboxPort?: number, log?: (line: string) => void }} [options]
 */
async function startPlayground({ sandboxPort = 0, log = (line) => console.error(line) } = {}) {
	// Long-lived tokens: a person exploring the editor should not meet expiry.
	const sandbox = await startSandbox({ port: sandboxPort, tokenTtlSeconds: 24 * 3600 });
	let n8n;
	try {
		sandbox.createEvent(DEMO_EVENT);
		log('Preparing n8n with the Enkash Coins package...');
		n8n = N8n.create({ log });
		await n8n.importCredentials(sandboxCredentials(sandbox));
		for (const file of EXAMPLE_FILES) await n8n.importWorkflow(loadExample(file));
	} catch (error) {
		await n8n?.dispose();
		await sandbox.close();
		throw error;
	}
	const ready = n8n;
	return {
		sandbox,
		n8n: ready,
		async stop() {
			await ready.dispose();
			await sandbox.close();
		},
	};
}

const OWNER = { email: 'owner@example.com', password: 'Enkash-Coins-2026' };
const REFERRAL_WEBHOOK_PATH = loadExample('referral-webhook-allocate.json').nodes.find(
	(/** @type {any} */ node) => node.type === 'n8n-nodes-base.webhook',
).parameters.path;

/**
 * The playground with the n8n editor running, the webhook example published and
 * an owner account set up.
 * @param {{ editorPort?: number, sandboxPort?: number, log?: (line: string) => void }} [options]
 */
async function startEditor({ editorPort, sandboxPort, log = (line) => console.error(line) } = {}) {
	const playground = await startPlayground({ sandboxPort, log });
	try {
		await playground.n8n.publishWorkflow(loadExample('referral-webhook-allocate.json').id);
		log('Starting the n8n editor...');
		await playground.n8n.start({ port: editorPort });
		await playground.n8n.waitForWebhook(REFERRAL_WEBHOOK_PATH);
		await playground.n8n.setupOwner(OWNER);
	} catch (error) {
		await playground.stop();
		throw error;
	}
	return { ...playground, owner: OWNER };
}

module.exports = { OWNER, startEditor, startPlayground };
