// npm run test:browser: journeys in Debian's Chromium (playwright-core) with axe-core checks, and the
// tests that run the compiled app or CLIs in their own process (both need npm run build first).
const base = require('./jest.config.js');

module.exports = {
  testEnvironment: 'node',
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  // test/process: the compiled app or a CLI in its own process with real local servers (no browser).
  testMatch: ['<rootDir>/test/browser/**/*.test.ts', '<rootDir>/test/process/**/*.test.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
