// npm run test:pg: the same HTTP suite on PostgreSQL. Each test file creates its own database from
// DATABASE_URL (default: the local server) and drops it afterwards.
const base = require('./jest.config.js');

module.exports = {
  testEnvironment: 'node',
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  testMatch: ['<rootDir>/test/http/**/*.test.ts', '<rootDir>/test/pg/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/helpers/pg-env.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
