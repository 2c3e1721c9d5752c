// @ts-check
/**
 * `npm run start:queue`: what `npm start` gives, in n8n's queue mode: PostgreSQL
 * and Redis from Debian's packages, the main instance serving the editor and
 * the webhooks, and two workers running the executions. Ctrl-C stops everything.
 */
const {
	PLAYGROUND_PORTS,
	runUntilInterrupted,
	startQueueEditor,
	webhookPathOf,
} = require('./playground');

const WORKERS = Number(process.env.N8N_WORKERS ?? 2);

async function main() {
	const started = await startQueueEditor({
		editorPort: PLAYGROUND_PORTS.editor,
		sandboxPort: PLAYGROUND_PORTS.sandbox,
		workers: WORKERS,
	});
	const { sandbox, cluster, owner } = started;
	const batch = JSON.stringify({
		allocations: [
			{ userId: 'EKQZVMQK', requestId: 'CAMPAIGN-2026-EKQZVMQK' },
			{ userId: 'EK6CYE6K', requestId: 'CAMPAIGN-2026-EK6CYE6K' },
		],
	});
	runUntilInterrupted(
		started,
		`
n8n is running in queue mode with the Enkash Coins node: http://localhost:${PLAYGROUND_PORTS.editor}
  Log in as  ${owner.email}  /  ${owner.password}
  ${cluster.workers.length} workers (n8n worker), PostgreSQL on port ${cluster.postgres.port}, Redis on port ${cluster.redis.port}

Ready in the editor: both sandbox credentials and the examples; the two webhook examples are published.

Credit a campaign batch through the workers (the "credit a campaign in batches" example):
  curl -X POST http://localhost:${PLAYGROUND_PORTS.editor}/webhook/${webhookPathOf('campaign-batch-allocate.json')} \\
       -H 'content-type: application/json' -d '${batch}'

Enkash sandbox: ${sandbox.url}  (state: ${sandbox.url}/__sandbox/state)

Press Ctrl-C to stop.`,
		'Stopping n8n, its workers, Redis, PostgreSQL and the sandbox...',
	);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
