// @ts-check
/**
 * `npm start`: the sandbox and a real n8n editor with this package installed,
 * both sandbox credentials and the example workflows, and an owner account.
 * Ctrl-C stops everything.
 */
const { PLAYGROUND_PORTS, runUntilInterrupted, startEditor } = require('./playground');

async function main() {
	const started = await startEditor({
		editorPort: PLAYGROUND_PORTS.editor,
		sandboxPort: PLAYGROUND_PORTS.sandbox,
	});
	const { sandbox, owner } = started;
	runUntilInterrupted(
		started,
		`
n8n is running with the Enkash Coins node: http://localhost:${PLAYGROUND_PORTS.editor}
  Log in as  ${owner.email}  /  ${owner.password}

Ready in the editor:
  Credentials  "Enkash sandbox (token)" and "Enkash sandbox (password)", both pointing at the sandbox
  Workflows    "credit a referral bonus from a webhook" and "credit a campaign in batches" (both published),
               "flag users with a low balance", "create and update an event configuration",
               "alert once when a user's balance falls below 100" (the Enkash Coins Trigger)

Try the published webhook:
  curl -X POST http://localhost:${PLAYGROUND_PORTS.editor}/webhook/enkash-referral \\
       -H 'content-type: application/json' -d '{"referrerId":"EKQZVMQK","referralId":"REF-1001"}'

Enkash sandbox: ${sandbox.url}  (state: ${sandbox.url}/__sandbox/state)

Press Ctrl-C to stop.`,
		'Stopping n8n and the sandbox...',
	);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
