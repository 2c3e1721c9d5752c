/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code: it runs under jest on Node, never inside n8n */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { takeLock } from '../../dev/lockfile-install';

describe('the lock of a pinned install, which processes installing the same folder take in turn', () => {
	let folder: string;
	let lockFile: string;
	beforeEach(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-lock-'));
		lockFile = path.join(folder, 'target.installing');
	});
	afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

	it('is taken at once when nobody holds it, and names this process', () => {
		const onWait = jest.fn();

		takeLock(lockFile, onWait);

		expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
		expect(onWait).not.toHaveBeenCalled();
	});

	it('is taken over from a process that ended without removing it', () => {
		const ended = spawnSync(process.execPath, ['-e', '']);
		fs.writeFileSync(lockFile, String(ended.pid));
		const onWait = jest.fn();

		takeLock(lockFile, onWait);

		expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
		expect(onWait).not.toHaveBeenCalled();
	});

	it('waits while a running process holds it, says so once, and takes it when released', () => {
		const releaseAfterMs = 2500;
		const holder = spawn(process.execPath, [
			'-e',
			`setTimeout(() => require('fs').rmSync(${JSON.stringify(lockFile)}), ${releaseAfterMs})`,
		]);
		fs.writeFileSync(lockFile, String(holder.pid));
		const onWait = jest.fn();
		const started = Date.now();

		takeLock(lockFile, onWait);

		expect(Date.now() - started).toBeGreaterThanOrEqual(releaseAfterMs - 100);
		expect(onWait).toHaveBeenCalledTimes(1);
		expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
	});
});
