// @ts-check
/**
 * `npm run install:pinned`: installs up front every pinned set the suites
 * would install on first use, in the order .ci/run needs them: the n8n-core
 * and n8n-workflow releases of `npm run test:compat`, the floor's runtime
 * (Node 24 with it), then the newest (the end-to-end, editor and queue-mode
 * suites). .ci/run starts it in the background; a suite that needs a set still
 * being installed waits for it (dev/lockfile-install.js).
 */
const { MATRIX, installCompatSet } = require('./test-compat');
const { RUNTIMES, installRuntime } = require('./runtime');

for (const entry of MATRIX) installCompatSet(entry);
installRuntime({ name: RUNTIMES.floor });
installRuntime({ name: RUNTIMES.newest });
