import type { HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';

/**
 * What a process's readiness waits for, each by the little it needs to be asked (so this lib depends on neither
 * the store nor the bus): a process names only what it has. The control plane has the store and the broker; a
 * worker has Redis too (the partners' shared ConnectWise budget, the job locks).
 */
export interface ReadinessDependencies {
  /** The store: up when a ping answers (its driver is named in the check's details). */
  database?: { ping(): Promise<unknown>; readonly driver: string };
  /** The broker (RabbitMQ, or the in-process queue in local mode): up while connected. */
  broker?: { readonly connected: boolean };
  /** Redis: up while its client is ready. */
  redis?: { readonly status: string };
}

/** The readiness checks, `database`, `broker`, `redis`, of the dependencies given, for terminus' `HealthCheckService.check`. */
export function readinessChecks(indicator: HealthIndicatorService, dependencies: ReadinessDependencies): HealthIndicatorFunction[] {
  const { database, broker, redis } = dependencies;
  const upIf = (name: string, up: boolean) => (up ? indicator.check(name).up() : indicator.check(name).down());
  return [
    ...(database
      ? [
          () =>
            database.ping().then(
              () => indicator.check('database').up({ driver: database.driver }),
              () => indicator.check('database').down({ driver: database.driver }),
            ),
        ]
      : []),
    ...(broker ? [() => upIf('broker', broker.connected)] : []),
    ...(redis ? [() => upIf('redis', redis.status === 'ready')] : []),
  ];
}
