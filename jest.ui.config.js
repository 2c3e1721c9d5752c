/** The editor in a real browser. See test/ui/. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/ui'],
  testMatch: ['**/*.ui.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: [],
  maxWorkers: 1,
  testTimeout: 120000,
};
