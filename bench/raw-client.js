// @ts-check
/**
 * Contender C: the same allocation requests from a plain Node.js client, with
 * keep-alive and a fixed number in flight, outside n8n. Prints one JSON line
 * {ms} when done. Usage: node raw-client.js URL TOKEN COUNT CONCURRENCY PREFIX
 */
const http = require('node:http');

const { runClient } = require('./client-run');

const agent = new http.Agent({ keepAlive: true, maxSockets: Number(process.argv[5]) });

runClient(
	({ url, token, body }) =>
		new Promise((resolve, reject) => {
			const payload = JSON.stringify(body);
			const request = http.request(
				new URL('/api/v0/enkash-coins/allocate-coin', url),
				{
					method: 'POST',
					agent,
					headers: {
						authorization: `Bearer ${token}`,
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(payload),
					},
				},
				(response) => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', (chunk) => (text += chunk));
					response.on('end', () => {
						const envelope = JSON.parse(text);
						if (response.statusCode !== 200 || envelope.response_code !== 0)
							reject(new Error(text));
						else resolve();
					});
				},
			);
			request.on('error', reject);
			request.end(payload);
		}),
	() => agent.destroy(),
);
