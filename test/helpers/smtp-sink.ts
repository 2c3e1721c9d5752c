/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: it runs under jest on Node, never inside n8n */
/**
 * A mail server on loopback that accepts every message and keeps it: n8n's
 * Send Email node delivers to it when its SMTP credential points here, so a
 * test can read the approval email a person would get and follow its links.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A message's text, with quoted-printable soft line breaks and escapes undone. */
function decodeQuotedPrintable(text: string) {
	return text
		.replace(/=\r\n/g, '')
		.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export async function startSmtpSink() {
	const messages: string[] = [];
	const server = net.createServer((socket) => {
		socket.setEncoding('utf8');
		let pending = '';
		let data: string[] | undefined;
		socket.write('220 sink ESMTP\r\n');
		socket.on('data', (chunk: string) => {
			pending += chunk;
			for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
				const line = pending.slice(0, end);
				pending = pending.slice(end + 2);
				if (data && line === '.') {
					messages.push(decodeQuotedPrintable(data.join('\r\n')));
					data = undefined;
					socket.write('250 OK\r\n');
				} else if (data) {
					data.push(line.startsWith('..') ? line.slice(1) : line);
				} else if (/^DATA$/i.test(line)) {
					data = [];
					socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
				} else if (/^QUIT$/i.test(line)) {
					socket.end('221 Bye\r\n');
				} else {
					socket.write('250 OK\r\n');
				}
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		messages,
		/** The links of a message's buttons, by their label. */
		linksOf(message: string) {
			return Object.fromEntries(
				[...message.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map(([, url, label]) => [
					label.trim(),
					url,
				]),
			);
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
