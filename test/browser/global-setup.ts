import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const INFO_FILE = join(ROOT, 'dist', 'browser-server.json');

/** Starts test/browser/server.ts (compiled into dist/) and waits for its info file; returns the teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  rmSync(INFO_FILE, { force: true });
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'test', 'browser', 'server.js'), INFO_FILE], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  const deadline = Date.now() + 120_000;
  while (!existsSync(INFO_FILE)) {
    if (child.exitCode !== null) throw new Error(`the browser-test server exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the browser-test server did not start within 120 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    JSON.parse(readFileSync(INFO_FILE, 'utf8'));
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };
}
