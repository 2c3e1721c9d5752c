// @ts-check
/**
 * `npm run demo`: runs the example workflows headless in a real n8n against
 * the sandbox and prints what happened to events, allocations and balances.
 */
const { startPlayground } = require('./playground');
const { loadExample, manualVariant, nodeOutput } = require('./workflows');

const REFERRALS = [
	{ referrerId: 'EKQZVMQK', referralId: 'REF-DEMO-1001' },
	{ referrerId: 'EK6CYE6K', referralId: 'REF-DEMO-1002' },
	{ referrerId: 'EKQZVMQK', referralId: 'REF-DEMO-1003' },
	// The shop sends the first referral again: the same Request ID credits nobody twice.
	{ referrerId: 'EKQZVMQK', referralId: 'REF-DEMO-1001' },
];

async function main() {
	const started = Date.now();
	const { sandbox, n8n, stop } = await startPlayground();
	try {
		const lines = [];
		const eventRun = await n8n.run(loadExample('configure-event.json'));
		const created = nodeOutput(eventRun, 'Create Invoice Event')[0].json;
		const updated = nodeOutput(eventRun, 'Read It Back')[0].json;

		const allocationRun = await n8n.run(
			manualVariant(loadExample('referral-webhook-allocate.json'), {
				id: 'DemoReferralsRun',
				sampleItems: REFERRALS.map((body) => ({ body })),
			}),
		);
		const balanceRun = await n8n.run(
			manualVariant(loadExample('scheduled-balance-check.json'), { id: 'DemoBalancesRun' }),
		);
		const flagged = new Set(
			nodeOutput(balanceRun, 'Notify Loyalty Team').map(({ json }) => json.userId),
		);

		lines.push(
			`Enkash Coins demo: the example workflows, run by n8n against the sandbox (${sandbox.url})`,
			'',
		);
		lines.push('Events ("create and update an event configuration")');
		for (const event of sandbox.events()) {
			const history =
				event.coinConfigId === created.coinConfigId
					? ` (created with ${created.amount}, updated to ${updated.amount})`
					: '';
			lines.push(
				`  ${event.coinConfigId}  ${event.event.padEnd(16)} ${String(event.amount).padStart(3)} coins${history}`,
			);
		}
		lines.push(
			'',
			`Allocations ("credit a referral bonus", ${REFERRALS.length} referrals received)`,
		);
		const seen = new Set();
		for (const { json } of nodeOutput(allocationRun, 'Allocate Referral Coins')) {
			const repeat = seen.has(json.requestId);
			seen.add(json.requestId);
			const outcome = json.error
				? `failed: ${json.error}`
				: repeat
					? 'already allocated, not credited again'
					: 'allocated';
			lines.push(
				`  ${String(json.requestId).padEnd(14)} ${String(json.userId).padEnd(9)} ${outcome}`,
			);
		}
		lines.push('', 'Balances ("flag users with a low balance", threshold 100)');
		for (const { json } of nodeOutput(balanceRun, 'Get Coin Balance')) {
			lines.push(
				`  ${String(json.userId).padEnd(9)} ${String(json.balance).padStart(4)} coins${flagged.has(json.userId) ? '  flagged: under 100' : ''}`,
			);
		}
		lines.push(
			'',
			`Done in ${Math.round((Date.now() - started) / 1000)} s. Open the editor with \`npm start\`.`,
		);
		console.log(lines.join('\n'));
	} finally {
		await stop();
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
