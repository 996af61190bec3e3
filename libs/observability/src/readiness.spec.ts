import { HealthIndicatorService } from '@nestjs/terminus';
import { readinessChecks } from './readiness';

describe('readinessChecks', () => {
  const indicator = new HealthIndicatorService();
  const run = (checks: ReturnType<typeof readinessChecks>) => Promise.all(checks.map(async (check) => await check()));

  it('checks only what the process has: the control plane its store and broker, a worker Redis too', async () => {
    const database = { driver: 'pglite', ping: () => Promise.resolve() };
    expect(await run(readinessChecks(indicator, { database, broker: { connected: true } }))).toEqual([
      { database: { status: 'up', driver: 'pglite' } },
      { broker: { status: 'up' } },
    ]);
    expect(await run(readinessChecks(indicator, { database, broker: { connected: true }, redis: { status: 'ready' } }))).toEqual([
      { database: { status: 'up', driver: 'pglite' } },
      { broker: { status: 'up' } },
      { redis: { status: 'up' } },
    ]);
  });

  it('down: a store that does not answer, a broker disconnected, Redis not ready', async () => {
    const checks = readinessChecks(indicator, {
      database: { driver: 'postgres', ping: () => Promise.reject(new Error('ECONNREFUSED')) },
      broker: { connected: false },
      redis: { status: 'reconnecting' },
    });
    expect(await run(checks)).toEqual([{ database: { status: 'down', driver: 'postgres' } }, { broker: { status: 'down' } }, { redis: { status: 'down' } }]);
  });
});
