/** End-to-end tests: the packed package inside a real n8n. See test/e2e/. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: [],
  maxWorkers: 1,
  testTimeout: 300000,
};
