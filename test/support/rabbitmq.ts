import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The RabbitMQ every machine of this project runs (guest/guest). Override with TEST_AMQP_URL (no vhost). */
export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Runs `rabbitmqctl -q <args>` (this machine's tests run as a user allowed to) and returns its output. */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', ['-q', ...args], { timeout: 30_000 });
  return stdout;
}

export interface TestVhost {
  name: string;
  /** The AMQP URL of the vhost. */
  url: string;
  /** Closes every client connection to this vhost only (other suites' connections are untouched). */
  closeConnections(reason?: string): Promise<void>;
  /** Deletes the vhost with its queues. */
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named vhost for one test suite, so suites running at the same time never see each
 * other's queues and a suite can cut its own connections without cutting anyone else's.
 */
export async function createTestVhost(prefix = 'cwx-test'): Promise<TestVhost> {
  const name = `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
  return {
    name,
    url: `${TEST_AMQP_URL}/${encodeURIComponent(name)}`,
    closeConnections: async (reason = 'test') => {
      await rabbitmqctl('close_all_connections', '-p', name, reason);
    },
    drop: async () => {
      await rabbitmqctl('delete_vhost', name);
    },
  };
}
