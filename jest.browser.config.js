// npm run test:browser: journeys in Debian's Chromium (playwright-core) with axe-core checks.
const base = require('./jest.config.js');

module.exports = {
  testEnvironment: 'node',
  transform: base.transform,
  testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
