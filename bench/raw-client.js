// @ts-check
/**
 * Contender C: the same allocation requests from a plain Node.js client, with
 * keep-alive and a fixed number in flight, outside n8n. Prints one JSON line
 * {ms} when done. Usage: node raw-client.js URL TOKEN COUNT CONCURRENCY PREFIX
 */
const http = require('node:http');

const [url, token, countText, concurrencyText, prefix] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concurrencyText);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL('/api/v0/enkash-coins/allocate-coin', url);

/** @param {number} index @returns {Promise<void>} */
function allocate(index) {
	const body = JSON.stringify({
		companyId: 'CEK0TCW2W8',
		event: 'REFERRAL_EVENT',
		userId: `${prefix}${index}`,
		requestId: `REQ-${prefix}${index}`,
	});
	return new Promise((resolve, reject) => {
		const request = http.request(
			target,
			{
				method: 'POST',
				agent,
				headers: {
					authorization: `Bearer ${token}`,
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
				},
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => {
					const envelope = JSON.parse(text);
					if (response.statusCode !== 200 || envelope.response_code !== 0) reject(new Error(text));
					else resolve();
				});
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

async function main() {
	const started = process.hrtime.bigint();
	let next = 0;
	const worker = async () => {
		while (next < count) await allocate(next++);
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	agent.destroy();
	process.stdout.write(`${JSON.stringify({ ms })}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
