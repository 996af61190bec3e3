import { z } from 'zod';
import { ConfigValidationError, type ConfigProblem } from '../config-error';
import { env, envSchema, parseEnvironment, readEnvironment, type Environment } from '../environment';
import { loadConnectWiseClientConfig, type ConnectWiseClientConfig } from './connectwise-client.config';
import { loadMessagingConfig, type MessagingConfig } from './messaging.config';
import { loadOutboundConfig, type OutboundConfig } from './outbound.config';
import { loadPlatformConfig, type PlatformConfig } from './platform.config';
import { withLocalModeSecrets } from './local-mode';
import { loadStorageConfig, type StorageConfig } from './storage.config';

const schema = envSchema({
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: env.port(3000),
  /** Requests one bearer token may make per second (burst) and per minute (sustained), per replica. */
  API_RATE_LIMIT_PER_SECOND: env.int(50, 1),
  API_RATE_LIMIT_PER_MINUTE: env.int(1200, 1),
  /** HS256 secret the panel signs its bearer tokens with (at least 32 characters). */
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  /** Optional JWKS URL for asymmetric tokens (RS256/ES256). */
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_JWT_ISSUER: z.string().optional(),
  AUTH_JWT_AUDIENCE: z.string().optional(),
  LOG_LEVEL: env.logLevel(),
  /** Local mode runs the export worker in the same process (default: yes without AMQP_URL). */
  CWX_EMBEDDED_WORKER: z.enum(['true', 'false']).optional(),
  /** Tick the daily scheduler in this process (default true). */
  CWX_SCHEDULER: env.bool(true),
  /** SMTP server for reports and alerts (`smtp://user:pass@host:587`, `smtps://…`). Without it, mail is written as .eml files. */
  SMTP_URL: z.string().url().optional(),
  /** Where mail goes without SMTP_URL (default: LOCAL_DATA_DIR/mail). */
  NOTIFY_MAIL_DIR: z.string().optional(),
  NOTIFY_FROM: z.string().default('ConnectWise export <no-reply@localhost>'),
  /** Base of the links in reports (to the run's log); default http://HTTP_HOST:HTTP_PORT. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Attempts per notification before it is recorded as failed. */
  NOTIFY_MAX_ATTEMPTS: env.int(6, 1),
  /** First retry delay; each further retry doubles it. */
  NOTIFY_RETRY_BASE_MS: env.int(5000, 1),
  NOTIFY_TIMEOUT_MS: env.int(10000, 100),
  /** Deliver notifications from this process (default true; replicas share the work). */
  NOTIFY_DISPATCHER: env.bool(true),
});

/** Reports and alerts: how they leave the process. */
export interface NotificationsConfig {
  smtpUrl?: string;
  /** Used when `smtpUrl` is unset: one .eml file per message. */
  mailDir: string;
  from: string;
  publicBaseUrl: string;
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  dispatcher: boolean;
  /** Pause between dispatcher passes. */
  pollIntervalMs: number;
}

/** What a configuration built without the notification variables gets (tests, OpenAPI generation). */
export function defaultNotificationsConfig(base: { localDataDir: string; host: string; port: number }): NotificationsConfig {
  return {
    mailDir: `${base.localDataDir.replace(/\/+$/, '')}/mail`,
    from: 'ConnectWise export <no-reply@localhost>',
    publicBaseUrl: `http://${base.host}:${base.port}`,
    maxAttempts: 6,
    retryBaseMs: 5000,
    timeoutMs: 10000,
    dispatcher: true,
    pollIntervalMs: 500,
  };
}

export interface ControlPlaneConfig extends StorageConfig {
  http: { host: string; port: number; rateLimit?: { perSecond: number; perMinute: number } };
  auth: { jwtSecret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  connectwise: ConnectWiseClientConfig;
  /** Where webhooks and the ConnectWise site may point (non-public addresses refused unless allowed). */
  outbound: OutboundConfig;
  platform: PlatformConfig;
  messaging: MessagingConfig;
  /** Run the export job handlers in this process (local mode). */
  embeddedWorker: boolean;
  scheduler: boolean;
  logLevel: string;
  /** Reports and alerts; defaults from {@link defaultNotificationsConfig} when absent. */
  notifications?: NotificationsConfig;
}

export function loadControlPlaneConfig(environment: Environment = readEnvironment()): ControlPlaneConfig {
  const source = withLocalModeSecrets(environment);
  const problems: ConfigProblem[] = [];
  const collect = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const e = collect(() => parseEnvironment(schema, source));
  const storage = collect(() => loadStorageConfig(source));
  if (e && !e.AUTH_JWT_SECRET && !e.AUTH_JWKS_URL) problems.push({ variable: 'AUTH_JWT_SECRET', problem: 'is required (or AUTH_JWKS_URL)' });
  const connectwise = collect(() => loadConnectWiseClientConfig(source));
  const platform = collect(() => loadPlatformConfig(source));
  const outbound = collect(() => loadOutboundConfig(source));
  const messaging = collect(() => loadMessagingConfig(source));
  // In fleet mode the panel's ConnectWise calls draw from the budget the workers share through Redis.
  if (messaging?.amqpUrl && !messaging.redisUrl) problems.push({ variable: 'REDIS_URL', problem: 'is required in fleet mode (the partners\' ConnectWise budget is shared with the workers)' });
  if (problems.length > 0 || !e || !storage || !connectwise || !platform || !messaging || !outbound) throw new ConfigValidationError(problems);
  return {
    ...storage,
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT, rateLimit: { perSecond: e.API_RATE_LIMIT_PER_SECOND, perMinute: e.API_RATE_LIMIT_PER_MINUTE } },
    auth: { jwtSecret: e.AUTH_JWT_SECRET, jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_JWT_ISSUER, audience: e.AUTH_JWT_AUDIENCE },
    connectwise,
    outbound,
    platform,
    messaging,
    embeddedWorker: e.CWX_EMBEDDED_WORKER === undefined ? !messaging.amqpUrl : e.CWX_EMBEDDED_WORKER === 'true',
    scheduler: e.CWX_SCHEDULER,
    logLevel: e.LOG_LEVEL,
    notifications: {
      smtpUrl: e.SMTP_URL,
      mailDir: e.NOTIFY_MAIL_DIR ?? defaultNotificationsConfig({ localDataDir: storage.database.localDataDir, host: e.HTTP_HOST, port: e.HTTP_PORT }).mailDir,
      from: e.NOTIFY_FROM,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://${e.HTTP_HOST}:${e.HTTP_PORT}`).replace(/\/+$/, ''),
      maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: e.NOTIFY_RETRY_BASE_MS,
      timeoutMs: e.NOTIFY_TIMEOUT_MS,
      dispatcher: e.NOTIFY_DISPATCHER,
      pollIntervalMs: 500,
    },
  };
}
