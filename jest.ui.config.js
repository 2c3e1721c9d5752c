/** The editor in a real browser. See test/ui/. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/ui'],
  testMatch: ['**/*.ui.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  maxWorkers: 1,
  testTimeout: 120000,
};
