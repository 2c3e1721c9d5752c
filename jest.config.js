const path = require('node:path');

/**
 * `npm run test:compat` runs this suite again against the n8n-core and
 * n8n-workflow of another n8n release, installed into its own folder and
 * named by N8N_COMPAT_DIR, without touching the pinned dev dependencies.
 */
const compatDir = process.env.N8N_COMPAT_DIR;
const compatModules = compatDir
  ? {
      '^n8n-workflow$': path.resolve(compatDir, 'node_modules/n8n-workflow'),
      '^n8n-core$': path.resolve(compatDir, 'node_modules/n8n-core'),
    }
  : {};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/ui/', '<rootDir>/test/faults/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  moduleNameMapper: compatModules,
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 30000,
};
