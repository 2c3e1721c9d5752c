/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code: it runs under jest on Node, never inside n8n */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { takeLock } from '../../dev/lockfile-install';

describe('the lock of a pinned install, which processes installing the same folder take in turn', () => {
	let folder: string;
	let target: string;
	beforeEach(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-lock-'));
		target = path.join(folder, 'target');
	});
	afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

	it('is taken at once when nobody holds it, and released', () => {
		const onWait = jest.fn();

		const release = takeLock(target, onWait);

		expect(fs.existsSync(`${target}.lock`)).toBe(true);
		expect(onWait).not.toHaveBeenCalled();
		release();
		expect(fs.existsSync(`${target}.lock`)).toBe(false);
	});

	it('waits while another process holds it, says so once, and takes it when that process exits', async () => {
		const holdMs = 2500;
		const holder = spawn(process.execPath, [
			'-e',
			`require('proper-lockfile').lockSync(${JSON.stringify(target)}, { realpath: false }); console.log('held'); setTimeout(() => process.exit(0), ${holdMs})`,
		]);
		await new Promise((resolve) => holder.stdout.once('data', resolve));
		const onWait = jest.fn();
		const started = Date.now();

		const release = takeLock(target, onWait);

		expect(Date.now() - started).toBeGreaterThanOrEqual(holdMs - 500);
		expect(onWait).toHaveBeenCalledTimes(1);
		release();
	});
});
