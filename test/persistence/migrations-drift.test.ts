import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/**
 * Migrations are generated artefacts committed to the repository. This test regenerates them from the
 * schema into a copy of the folder and fails when that would add a migration the repository lacks.
 */
describe('committed migrations', () => {
  it('match the schema', () => {
    const root = resolve(__dirname, '../..');
    const work = mkdtempSync(join(tmpdir(), 'cwx-drift-'));
    try {
      const out = join(work, 'migrations');
      cpSync(join(root, 'libs/persistence/migrations'), out, { recursive: true });
      const before = readdirSync(out).filter((f) => f.endsWith('.sql'));
      execFileSync(
        join(root, 'node_modules/.bin/drizzle-kit'),
        ['generate', '--dialect', 'postgresql', '--schema', join(root, 'libs/persistence/src/schema/index.ts'), '--out', relative(root, out)],
        { cwd: root, stdio: 'pipe' },
      );
      const after = readdirSync(out).filter((f) => f.endsWith('.sql'));
      expect(before.length).toBeGreaterThan(0);
      expect(after).toEqual(before);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 60000);
});
