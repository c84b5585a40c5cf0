// npm test: unit tests and the HTTP suite on SQLite; needs nothing but npm.
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/http/**/*.test.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
