const path = require('node:path');

/**
 * Every test suite, as one jest project each; the npm scripts select them
 * (`jest --selectProjects unit`):
 * - unit: unit and engine-level tests (`npm test`), also run by
 *   `npm run test:compat` against the n8n-core and n8n-workflow of another n8n
 *   release, installed into its own folder and named by N8N_COMPAT_DIR, without
 *   touching the pinned dev dependencies;
 * - faults: the fault campaign;
 * - e2e: the packed package inside a real n8n;
 * - ui: the editor in a real browser;
 * - queue: the package in n8n's queue mode, with PostgreSQL, Redis and workers.
 *
 * `npm run test:file -- <file>` runs only the files named, in whichever project
 * holds them (`jest --runTestsByPath`): after `--selectProjects`, jest would take
 * a path for one more project name and run the whole project.
 */
const compatDir = process.env.N8N_COMPAT_DIR;
const compatModules = compatDir
	? {
			'^n8n-workflow$': path.resolve(compatDir, 'node_modules/n8n-workflow'),
			'^n8n-core$': path.resolve(compatDir, 'node_modules/n8n-core'),
		}
	: {};

const typescript = {
	testEnvironment: 'node',
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFilesAfterEnv: ['<rootDir>/test/setup-timeouts.ts', '<rootDir>/test/setup-login-memory.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
	// Many engine-level tests mostly wait (token renewals, retries, latency faults): more workers
	// than jest's default of one fewer than the cores lets them wait side by side.
	maxWorkers: 4,
	projects: [
		{
			...typescript,
			displayName: 'unit',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: [
				'/node_modules/',
				'<rootDir>/test/e2e/',
				'<rootDir>/test/ui/',
				'<rootDir>/test/faults/',
				'<rootDir>/test/queue/',
			],
			moduleNameMapper: compatModules,
			setupFiles: ['<rootDir>/test/setup-env.ts'],
		},
		{
			...typescript,
			displayName: 'faults',
			roots: ['<rootDir>/test/faults'],
			setupFiles: ['<rootDir>/test/setup-env.ts'],
		},
		{
			...typescript,
			displayName: 'e2e',
			globalSetup: '<rootDir>/test/install-runtime.ts',
			roots: ['<rootDir>/test/e2e'],
			testMatch: ['**/*.e2e.test.ts'],
		},
		{
			...typescript,
			displayName: 'ui',
			globalSetup: '<rootDir>/test/install-runtime.ts',
			roots: ['<rootDir>/test/ui'],
			testMatch: ['**/*.ui.test.ts'],
		},
		{
			...typescript,
			displayName: 'queue',
			globalSetup: '<rootDir>/test/install-runtime.ts',
			roots: ['<rootDir>/test/queue'],
			testMatch: ['**/*.queue.test.ts'],
		},
	],
};
