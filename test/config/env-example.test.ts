import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { declaredVariables, readDotEnv } from '@cwx/config';

const ROOT = resolve(__dirname, '../..');

/** `NAME=value` lines, and `# NAME=value` ones (documented, left unset). */
function variablesIn(file: string): Set<string> {
  const names = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line.trim());
    if (m) names.add(m[1]);
  }
  return names;
}

describe('.env.example', () => {
  it('names every variable the configuration schemas read, and nothing they do not', () => {
    const declared = declaredVariables();
    expect(declared.size).toBeGreaterThan(40); // every schema registered (the import loaded them all)
    const example = variablesIn(join(ROOT, '.env.example'));
    expect([...declared].filter((v) => !example.has(v)).sort()).toEqual([]);
    expect([...example].filter((v) => !declared.has(v)).sort()).toEqual([]);
  });

  it('loads as a .env file: a copy parses, with the real environment winning over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cwx-dotenv-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, readFileSync(join(ROOT, '.env.example'), 'utf8'));
      const parsed = readDotEnv(file);
      expect(parsed.HTTP_PORT).toBe('3000');
      expect(parsed.DATABASE_URL).toBeUndefined(); // commented out in the example
      expect(readDotEnv(join(dir, 'absent.env'))).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
