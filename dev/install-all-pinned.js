// @ts-check
/**
 * `npm run install:pinned [compat] [floor] [newest]`: installs up front the sets
 * the suites would install on first use: the n8n-core and n8n-workflow releases
 * of `npm run test:compat`, the floor's n8n (with Node 24), the newest n8n; all,
 * in that order, unless some are named. A suite that needs a set still being
 * installed waits for it (dev/lockfile-install.js).
 */
const { parseArgs } = require('node:util');

const { MATRIX, installCompatSet } = require('./test-compat');
const { RUNTIMES, installRuntime } = require('./runtime');

/** @type {Record<string, () => void>} */
const SETS = {
	compat: () => MATRIX.forEach((entry) => installCompatSet(entry)),
	floor: () => installRuntime({ name: RUNTIMES.floor }),
	newest: () => installRuntime({ name: RUNTIMES.newest }),
};
const { positionals } = parseArgs({ allowPositionals: true });
for (const name of positionals.length > 0 ? positionals : Object.keys(SETS)) {
	if (!SETS[name])
		throw new Error(`No pinned set named ${name}: name ${Object.keys(SETS).join(', ')}`);
	SETS[name]();
}
