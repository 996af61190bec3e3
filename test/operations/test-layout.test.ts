import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SKIPPED = new Set(['node_modules', 'dist', 'data', 'coverage', '.git']);

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield relative(ROOT, full).split(sep).join('/');
  }
}

/** One layout: a unit spec beside its code, every integration and e2e test in the one test/ tree. */
describe('where tests live', () => {
  it('unit specs are apps|libs/<name>/src/**/*.spec.ts; integration and e2e tests are test/<area>/**/*.test.ts (Playwright: test/browser/*.pw.ts)', () => {
    const misplaced: string[] = [];
    let specs = 0;
    let tests = 0;
    for (const file of filesUnder(ROOT)) {
      if (!/\.(spec|test|pw)\.tsx?$/.test(file)) continue;
      if (/^(apps|libs)\/[^/]+\/src\/.+\.spec\.ts$/.test(file)) specs += 1;
      else if (/^test\/[^/]+\/.+\.test\.ts$/.test(file)) tests += 1;
      else if (!/^test\/browser\/[^/]+\.pw\.ts$/.test(file)) misplaced.push(file);
    }
    expect(misplaced).toEqual([]);
    expect(specs).toBeGreaterThan(50);
    expect(tests).toBeGreaterThan(50);
  });

  it('no app or lib has a test folder of its own (helpers and fixtures live in test/ too)', () => {
    const folders = ['apps', 'libs'].flatMap((top) => readdirSync(join(ROOT, top)).map((name) => `${top}/${name}/test`));
    const held = folders.filter((folder) => existsSync(join(ROOT, folder))).flatMap((folder) => [...filesUnder(join(ROOT, folder))]);
    expect(held).toEqual([]);
  });
});
