#!/usr/bin/env node
// Runs a compiled entry point from dist/ with the monorepo's @cwx/* path aliases resolved to dist/.
// Usage: node scripts/run.js apps/connectwise-sim/src/main.js [args...]
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const tsconfig = require(path.join(root, 'tsconfig.json'));
require('tsconfig-paths').register({ baseUrl: path.join(root, 'dist'), paths: tsconfig.compilerOptions.paths });
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run.js <entry under dist/, e.g. apps/connectwise-sim/src/main.js> [args]');
  process.exit(2);
}
process.argv.splice(2, 1);
require(path.join(root, 'dist', entry));
