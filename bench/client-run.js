// @ts-check
/**
 * The shared part of the contenders that run outside n8n (C and H): reads
 * URL TOKEN COUNT CONCURRENCY PREFIX from the command line, sends COUNT
 * allocations with CONCURRENCY in flight, and prints one JSON line {ms}.
 */

/**
 * @param {(allocation: { url: string, token: string, body: Record<string, string> }) => Promise<void>} allocate
 * @param {() => void} [done] called after the last answer
 */
function runClient(allocate, done = () => {}) {
	const [url, token, countText, concurrencyText, prefix] = process.argv.slice(2);
	const count = Number(countText);
	const concurrency = Number(concurrencyText);
	const bodyOf = (/** @type {number} */ index) => ({
		companyId: 'CEK0TCW2W8',
		event: 'REFERRAL_EVENT',
		userId: `${prefix}${index}`,
		requestId: `REQ-${prefix}${index}`,
	});
	const main = async () => {
		const started = process.hrtime.bigint();
		let next = 0;
		const worker = async () => {
			while (next < count) await allocate({ url, token, body: bodyOf(next++) });
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		done();
		process.stdout.write(`${JSON.stringify({ ms })}\n`);
	};
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

module.exports = { runClient };
