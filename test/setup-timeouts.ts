/** How long one test may take, by suite: a real n8n or browser takes minutes to start. */
const TIMEOUTS_MS: Record<string, number> = {
	faults: 180_000,
	e2e: 300_000,
	ui: 120_000,
	queue: 600_000,
};

const suite = /[\\/]test[\\/](faults|e2e|ui|queue)[\\/]/.exec(
	expect.getState().testPath ?? '',
)?.[1];
jest.setTimeout(suite ? TIMEOUTS_MS[suite] : 30_000);
