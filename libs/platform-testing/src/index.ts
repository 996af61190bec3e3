// Demo and test tooling for the platform's data: never imported by production code (apps/*/src, libs/*/src;
// eslint enforces it). The demo, the benchmarks, the compose demo data and the tests use it.
export * from './generator';
export {
  startFixtureServer,
  createFixtureHandler,
  listen,
  type FixtureServerOptions,
  type RunningFixtureServer,
} from './fixture-server/fixture-server';
export { describePlatformSourceContract, type ContractFixture } from './contract-suite';
export { SAMPLE_FILES, SAMPLE_PARTNER_ID, sampleDataDir, writeFolder } from './sample-folder';
