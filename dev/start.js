// @ts-check
/**
 * `npm start`: the sandbox and a real n8n editor with this package installed,
 * both sandbox credentials and the example workflows, and an owner account.
 * `npm run start:queue` (--queue): the same in n8n's queue mode: PostgreSQL
 * and Redis from Debian's packages, the main instance serving the editor and
 * the webhooks, and two workers (N8N_WORKERS) running the executions.
 * Ctrl-C stops everything.
 */
const { parseArgs } = require('node:util');

const path = require('node:path');

const { startEditor, startQueueEditor, webhookPathOf } = require('./playground');
const { SANDBOX_VALUES } = require('./workflows');

const EDITOR_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.ENKASH_SANDBOX_PORT ?? 4010);

/**
 * The sandbox's own login, for a credential made by hand in the editor.
 * @param {import('../sandbox/enkash-sandbox').Sandbox} sandbox
 */
function sandboxLogin({ url, credentials }) {
	const values = Object.entries(SANDBOX_VALUES).map(
		([placeholder, value]) =>
			`    ${placeholder.padEnd(20)} ${path.isAbsolute(value) ? path.relative(process.cwd(), value) : value}`,
	);
	return `Enkash sandbox: ${url}  (state: ${url}/__sandbox/state)
  For a Password credential of your own: Base URL ${url}, Client ID ${credentials.clientId},
  Client Secret ${credentials.clientSecret}, Username ${credentials.username}, Password ${credentials.password}
  The recipes' placeholders, and the sandbox's values imported in their place (any other user ID works too):
${values.join('\n')}`;
}

/** @param {Awaited<ReturnType<typeof startEditor>>} started */
function editorBanner({ sandbox, owner }) {
	return `
n8n is running with the Enkash Coins node: http://localhost:${EDITOR_PORT}
  Log in as  ${owner.email}  /  ${owner.password}

Ready in the editor:
  Credentials  "Enkash sandbox (token)" and "Enkash sandbox (password)", both pointing at the sandbox
  Workflows    every recipe of examples/; the two webhook recipes are published

Try the published webhook:
  curl -X POST http://localhost:${EDITOR_PORT}/webhook/enkash-referral \\
       -H 'content-type: application/json' -d '{"referrerId":"EKQZVMQK","referralId":"REF-1001"}'

${sandboxLogin(sandbox)}

Press Ctrl-C to stop.`;
}

/** @param {Awaited<ReturnType<typeof startQueueEditor>>} started */
function queueBanner({ sandbox, cluster, owner }) {
	const batch = '{"allocations":[{"userId":"EKQZVMQK","requestId":"CAMPAIGN-2026-EKQZVMQK"}]}';
	return `
n8n is running in queue mode with the Enkash Coins node: http://localhost:${EDITOR_PORT}
  Log in as  ${owner.email}  /  ${owner.password}
  ${cluster.workers.length} workers (n8n worker), PostgreSQL on port ${cluster.postgres.port}, Redis on port ${cluster.redis.port}

Ready in the editor: both sandbox credentials and the examples; the two webhook examples are published.

Credit a campaign batch through the workers (the "credit a campaign in batches" example):
  curl -X POST http://localhost:${EDITOR_PORT}/webhook/${webhookPathOf('campaign-batch-allocate.json')} \\
       -H 'content-type: application/json' -d '${batch}'

${sandboxLogin(sandbox)}

Press Ctrl-C to stop.`;
}

async function main() {
	const { queue } = parseArgs({ options: { queue: { type: 'boolean' } } }).values;
	const ports = { editorPort: EDITOR_PORT, sandboxPort: SANDBOX_PORT };
	let started, banner, stopping;
	if (queue) {
		started = await startQueueEditor({ ...ports, workers: Number(process.env.N8N_WORKERS ?? 2) });
		banner = queueBanner(started);
		stopping = 'Stopping n8n, its workers, Redis, PostgreSQL and the sandbox...';
	} else {
		started = await startEditor(ports);
		banner = editorBanner(started);
		stopping = 'Stopping n8n and the sandbox...';
	}
	const shutDown = async () => {
		process.removeAllListeners('SIGINT').removeAllListeners('SIGTERM');
		console.log(`\n${stopping}`);
		await started.stop();
		process.exit(0);
	};
	process.once('SIGINT', shutDown).once('SIGTERM', shutDown);
	console.log(banner);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
