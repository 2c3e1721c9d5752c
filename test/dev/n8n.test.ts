/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
import { once } from 'node:events';
import * as net from 'node:net';

import { acceptsConnections, endProcess, freePort, startProcess } from '../../dev/n8n';

/** A Node process running `script`. */
const node = (script: string): [string, string[]] => [process.execPath, ['-e', script]];

describe('starting the servers of end-to-end runs (n8n, Redis, PostgreSQL)', () => {
	it('resolves once the process is ready, and leaves it running until ended', async () => {
		const port = await freePort();
		const { child } = await startProcess(
			'server',
			node(`require('net').createServer().listen(${port}, '127.0.0.1')`),
			{},
			() => acceptsConnections(port),
			10_000,
		);

		expect(child.exitCode).toBeNull();
		await endProcess(child);
		expect(child.signalCode).toBe('SIGTERM');
	});

	it('fails naming the process and showing its output when it exits while starting', async () => {
		const start = startProcess(
			'redis-server',
			node('console.error("Address already in use"); process.exit(3)'),
			{},
			async () => false,
			10_000,
		);

		await expect(start).rejects.toThrow(
			/^redis-server exited with 3 while starting:\nAddress already in use/,
		);
	});

	it('fails at once when the process is killed by a signal while starting', async () => {
		const started = Date.now();
		const start = startProcess(
			'postgres',
			node('console.error("out of memory"); process.kill(process.pid, "SIGKILL")'),
			{},
			async () => false,
			60_000,
		);

		await expect(start).rejects.toThrow(
			/^postgres exited with SIGKILL while starting:\nout of memory/,
		);
		expect(Date.now() - started).toBeLessThan(30_000);
	});

	it('ends the process and fails with its output when it is not ready in time', async () => {
		const start = startProcess(
			'n8n',
			node('console.log(`pid ${process.pid}`); setInterval(() => {}, 1000)'),
			{},
			async () => {
				throw new Error('connection refused');
			},
			1000,
		);

		const error: Error = await start.then(
			() => new Error('started'),
			(reason: Error) => reason,
		);
		expect(error.message).toMatch(/^n8n was not ready within 1000 ms while starting:\npid \d+/);
		expect(() => process.kill(Number(/pid (\d+)/.exec(error.message)?.[1]), 0)).toThrow(
			expect.objectContaining({ code: 'ESRCH' }),
		);
	});

	it('ends a process that ignores SIGTERM with SIGKILL after the grace period', async () => {
		const port = await freePort();
		const { child } = await startProcess(
			'stubborn',
			node(
				`process.on('SIGTERM', () => {}); require('net').createServer().listen(${port}, '127.0.0.1')`,
			),
			{},
			() => acceptsConnections(port),
			10_000,
		);

		await endProcess(child, { graceMs: 300 });

		expect(child.signalCode).toBe('SIGKILL');
	});

	it('finds a loopback port that nothing listens on', async () => {
		const server = net.createServer().listen(await freePort(), '127.0.0.1');
		await once(server, 'listening');

		expect(server.listening).toBe(true);
		server.close();
	});
});
