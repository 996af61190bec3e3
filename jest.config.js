/**
 * One Jest config for the monorepo. Tests are TypeScript compiled by SWC (with decorator metadata,
 * which Nest's dependency injection needs). `npm test` sets NODE_OPTIONS=--experimental-vm-modules
 * (PGlite loads its WASM through a dynamic import) and TZ=UTC.
 */
const swcConfig = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  // Unit specs beside the code; integration and e2e tests in test/ (test/operations/test-layout.test.ts keeps it so).
  testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
  // The fault suites (minutes, real processes killed) run with `npm run test:faults`, also in CI.
  testPathIgnorePatterns: process.env.CWX_TEST_FAULTS === '1' ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/test/faults/'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper: { '^@cwx/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
