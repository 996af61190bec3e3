// ESLint flat config: typescript-eslint's type-aware recommended rules, zero warnings allowed (npm run lint).
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const PLATFORM_TESTING = { name: '@cwx/platform-testing', message: 'Demo and test tooling: production code must not import it.' };

const REPOSITORY_ONLY = 'The raw database is for repositories (`*.repository.ts`) only: take a repository.';
const RAW_DATABASE = {
  paths: [
    { name: 'drizzle-orm', message: REPOSITORY_ONLY },
    { name: '@cwx/persistence', importNames: ['Database', 'DatabaseHandle', 'openDatabase', 'inPartnerTransaction', 'lockPartnerAccounts'], message: REPOSITORY_ONLY },
  ],
  patterns: [
    { group: ['drizzle-orm/*'], message: REPOSITORY_ONLY },
    { group: ['**/database/database.module'], importNames: ['InjectDatabase', 'DATABASE', 'DATABASE_HANDLE'], message: REPOSITORY_ONLY },
  ],
};

/** Control-plane files that may hold the database although they are no repository. */
const RAW_DATABASE_ALLOWED = [
  // provides it, and what works on it without handing it out: Transactions (work across repositories), ExportUseCases
  // (libs/jobs' use-cases on their own stores, for the preview and the reconciliation)
  'apps/control-plane/src/database/database.module.ts',
  // readiness pings the store (no query)
  'apps/control-plane/src/health/health.controller.ts',
  // the in-process worker's composition root: libs/jobs builds the worker's own stores from it
  'apps/control-plane/src/embedded-worker/embedded-worker.module.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '**/*.js', '**/*.mjs', 'drizzle.config.ts'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-restricted-properties': ['error',
        { object: 'it', property: 'only', message: 'No focused tests.' },
        { object: 'describe', property: 'only', message: 'No focused tests.' },
        { object: 'test', property: 'only', message: 'No focused tests.' }],
    },
  },
  {
    // Demo and test tooling stays out of production code.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['libs/platform-testing/**', '**/*.spec.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [PLATFORM_TESTING] }],
    },
  },
  {
    // The control plane's queries live in its repositories (`<feature>/*.repository.ts`): use-cases, controllers
    // and services take repositories, never the database (issue 14 point 7).
    files: ['apps/control-plane/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.repository.ts', ...RAW_DATABASE_ALLOWED],
    rules: {
      'no-restricted-imports': ['error', { paths: [PLATFORM_TESTING, ...RAW_DATABASE.paths], patterns: RAW_DATABASE.patterns }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
