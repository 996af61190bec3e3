import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts a real export worker process from the compiled code (`npm test` builds first). Its
 * environment is the given variables only, plus PATH: nothing leaks in from the test's own.
 */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/apps/export-worker/src/main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', WORKER_HTTP_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

/** Waits until the worker logged that it consumes (or fails if it exits first). */
export async function waitUntilConsuming(worker: WorkerProcess, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!worker.output().includes('export worker consuming')) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited early:\n${worker.output()}`);
    if (Date.now() - start > timeoutMs) throw new Error(`worker did not start in time:\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([worker.exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
  clearTimeout(timer);
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
}
