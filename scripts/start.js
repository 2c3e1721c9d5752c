// @ts-check
/**
 * `npm start`: the sandbox and a real n8n editor with this package installed,
 * both sandbox credentials and the example workflows, and an owner account.
 * Ctrl-C stops everything.
 */
const { startPlayground } = require('../test/e2e/lib/playground');
const { loadExample } = require('../test/e2e/lib/workflows');

const EDITOR_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.ENKASH_SANDBOX_PORT ?? 4010);
const OWNER = { email: 'owner@example.com', password: 'Enkash-Coins-2026' };

async function main() {
  const playground = await startPlayground({ sandboxPort: SANDBOX_PORT });
  const { sandbox, n8n } = playground;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping n8n and the sandbox...');
    await playground.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    const webhookExample = loadExample('referral-webhook-allocate.json');
    await n8n.publishWorkflow(webhookExample.id);
    console.error('Starting the n8n editor...');
    await n8n.start({ port: EDITOR_PORT });
    await n8n.setupOwner(OWNER);
  } catch (error) {
    await playground.stop();
    throw error;
  }

  console.log(`
n8n is running with the Enkash Coins node: http://localhost:${EDITOR_PORT}
  Log in as  ${OWNER.email}  /  ${OWNER.password}

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
