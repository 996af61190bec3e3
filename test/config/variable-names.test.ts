import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const OURS = /\b(CWX?_[A-Z0-9_]+)\b/g;
/** `CW_FOO: 'x'`, `CW_FOO: String(…)`: an environment handed to the config or to a process. */
const ASSIGNED = /\b(CWX?_[A-Z0-9_]+)\s*:\s*(?=['"`]|String\(|process\.env)/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * A variable the demo, a test or a benchmark sets, but that no configuration reads, does nothing: the
 * demo once set `CW_SCHEDULER` where the config reads `CWX_SCHEDULER`, and its scheduler stayed on.
 */
describe('environment variable names', () => {
  it('every CW_/CWX_ variable set by scripts, tests and benchmarks is one the configuration (or a test) reads', () => {
    const read = new Set<string>();
    for (const file of tsFiles(join(ROOT, 'libs/config/src'))) for (const [, name] of readFileSync(file, 'utf8').matchAll(OURS)) read.add(name);
    for (const dir of ['apps', 'libs', 'scripts', 'test', 'bench']) {
      for (const file of tsFiles(join(ROOT, dir))) for (const [, name] of readFileSync(file, 'utf8').matchAll(/process\.env\.(CWX?_[A-Z0-9_]+)/g)) read.add(name);
    }
    expect(read).toContain('CWX_SCHEDULER');

    const unknown: string[] = [];
    let assignments = 0;
    for (const dir of ['scripts', 'test', 'bench', 'apps/export-worker']) {
      for (const file of tsFiles(join(ROOT, dir))) {
        if (file === __filename) continue; // its own examples
        for (const [, name] of readFileSync(file, 'utf8').matchAll(ASSIGNED)) {
          assignments += 1;
          if (!read.has(name)) unknown.push(`${relative(ROOT, file)}: ${name}`);
        }
      }
    }
    expect(assignments).toBeGreaterThan(10); // the scan finds the fleets' and the demo's environments
    expect(unknown).toEqual([]);
  });
});
