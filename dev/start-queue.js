// @ts-check
/**
 * `npm run start:queue`: what `npm start` gives, in n8n's queue mode: PostgreSQL
 * and Redis from Debian's packages, the main instance serving the editor and
 * the webhooks, and two workers running the executions. Ctrl-C stops everything.
 */
const { startQueueEditor, webhookPathOf } = require('./playground');

const EDITOR_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.ENKASH_SANDBOX_PORT ?? 4010);
const WORKERS = Number(process.env.N8N_WORKERS ?? 2);

async function main() {
	const { sandbox, cluster, owner, stop } = await startQueueEditor({
		editorPort: EDITOR_PORT,
		sandboxPort: SANDBOX_PORT,
		workers: WORKERS,
	});
	let stopping = false;
	const shutDown = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n, its workers, Redis, PostgreSQL and the sandbox...');
		await stop();
		process.exit(0);
	};
	process.on('SIGINT', shutDown);
	process.on('SIGTERM', shutDown);

	const batch = JSON.stringify({
		allocations: [
			{ userId: 'EKQZVMQK', requestId: 'CAMPAIGN-2026-EKQZVMQK' },
			{ userId: 'EK6CYE6K', requestId: 'CAMPAIGN-2026-EK6CYE6K' },
		],
	});
	console.log(`
n8n is running in queue mode with the Enkash Coins node: http://localhost:${EDITOR_PORT}
  Log in as  ${owner.email}  /  ${owner.password}
  ${cluster.workers.length} workers (n8n worker), PostgreSQL on port ${cluster.postgres.port}, Redis on port ${cluster.redis.port}

Ready in the editor: both sandbox credentials and the examples; the two webhook examples are published.

Credit a campaign batch through the workers (the "credit a campaign in batches" example):
  curl -X POST http://localhost:${EDITOR_PORT}/webhook/${webhookPathOf('campaign-batch-allocate.json')} \\
       -H 'content-type: application/json' -d '${batch}'

Enkash sandbox: ${sandbox.url}  (state: ${sandbox.url}/__sandbox/state)

Press Ctrl-C to stop.`);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
