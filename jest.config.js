// npm test: unit tests and the HTTP suite on SQLite; needs nothing but npm.
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  // openid-client and its oauth4webapi and jose are ESM-only: swc compiles them to CommonJS for jest.
  transform: { '^.+\\.ts$': swc, '/node_modules/(openid-client|oauth4webapi|jose)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose)/)'],
  testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/http/**/*.test.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
