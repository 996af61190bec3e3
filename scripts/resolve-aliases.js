#!/usr/bin/env node
// The build's last TypeScript step: tsc keeps the monorepo's `@cwx/<lib>` imports as they are written, so
// this rewrites each `require("@cwx/<lib>")` in dist/ to the relative path of that lib's compiled index
// (from tsconfig.json's `paths`). Afterwards every entry point runs with plain `node dist/…/main.js`: no
// alias hook at run time, in the image or on a checkout. Idempotent; files without an alias are not touched.
// Usage: node scripts/resolve-aliases.js  (after `tsc -p <any tsconfig whose outDir is dist/>`)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const paths = require(path.join(root, 'tsconfig.json')).compilerOptions.paths;
const targets = new Map(Object.entries(paths).map(([alias, [target]]) => [alias, path.join(dist, target)]));
const ALIAS_REQUIRE = /\brequire\((["'])(@cwx\/[a-z][a-z-]*)((?:\/[^"']*)?)\1\)/g;

function* javascriptFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* javascriptFiles(full);
    else if (entry.name.endsWith('.js')) yield full;
  }
}

function rewrite(file, source) {
  return source.replace(ALIAS_REQUIRE, (whole, quote, alias, rest) => {
    const target = targets.get(alias);
    if (target === undefined) throw new Error(`${path.relative(root, file)}: ${alias} is not in tsconfig.json's paths`);
    let relative = path.relative(path.dirname(file), target + rest).split(path.sep).join('/');
    if (!relative.startsWith('.')) relative = `./${relative}`;
    return `require(${quote}${relative}${quote})`;
  });
}

if (!fs.existsSync(dist)) {
  console.error('resolve-aliases: dist/ does not exist; run tsc first');
  process.exit(2);
}
let changed = 0;
for (const file of javascriptFiles(dist)) {
  const source = fs.readFileSync(file, 'utf8');
  if (!source.includes('@cwx/')) continue;
  const output = rewrite(file, source);
  if (output !== source) {
    fs.writeFileSync(file, output);
    changed += 1;
  }
}
if (process.env.CWX_BUILD_VERBOSE) console.log(`resolve-aliases: ${changed} files rewritten`);
