// @ts-check
/**
 * `npm start`: the sandbox and a real n8n editor with this package installed,
 * both sandbox credentials and the example workflows, and an owner account.
 * Ctrl-C stops everything.
 */
const { startEditor } = require('./playground');

const EDITOR_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.ENKASH_SANDBOX_PORT ?? 4010);

async function main() {
	const { sandbox, owner, stop } = await startEditor({
		editorPort: EDITOR_PORT,
		sandboxPort: SANDBOX_PORT,
	});
	let stopping = false;
	const shutDown = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the sandbox...');
		await stop();
		process.exit(0);
	};
	process.on('SIGINT', shutDown);
	process.on('SIGTERM', shutDown);

	console.log(`
n8n is running with the Enkash Coins node: http://localhost:${EDITOR_PORT}
  Log in as  ${owner.email}  /  ${owner.password}

Ready in the editor:
  Credentials  "Enkash sandbox (token)" and "Enkash sandbox (password)", both pointing at the sandbox
  Workflows    "credit a referral bonus from a webhook" (published), "flag users with a low balance",
               "create and update an event configuration"

Try the published webhook:
  curl -X POST http://localhost:${EDITOR_PORT}/webhook/enkash-referral \\
       -H 'content-type: application/json' -d '{"referrerId":"EKQZVMQK","referralId":"REF-1001"}'

Enkash sandbox: ${sandbox.url}  (state: ${sandbox.url}/__sandbox/state)

Press Ctrl-C to stop.`);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
