// @ts-check
/**
 * `npm run install:pinned`: installs up front every pinned set the suites
 * would install on first use, in the order they need them: the n8n-core and
 * n8n-workflow releases of `npm run test:compat`, then the n8n runtimes of the
 * end-to-end, editor and queue-mode suites (Node 24 with them).
 * `-- --only compat` or `-- --only runtimes` installs one kind: .ci/run starts
 * both in the background, side by side, so that the newest n8n is ready when
 * the end-to-end suite starts; a suite that needs a set still being installed
 * waits for it (dev/lockfile-install.js).
 */
const { parseArgs } = require('node:util');

const { MATRIX, installCompatSet } = require('./test-compat');
const { RUNTIMES, installRuntime } = require('./runtime');

const KINDS = {
	compat: () => MATRIX.forEach((entry) => installCompatSet(entry)),
	runtimes: () => [RUNTIMES.newest, RUNTIMES.floor].forEach((name) => installRuntime({ name })),
};

const { only } = parseArgs({ options: { only: { type: 'string' } } }).values;
if (only !== undefined && !(only in KINDS)) {
	throw new Error(`--only ${only}: expected one of ${Object.keys(KINDS).join(', ')}`);
}
for (const [kind, install] of Object.entries(KINDS))
	if (only === undefined || only === kind) install();
