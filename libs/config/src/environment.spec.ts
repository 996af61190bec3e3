import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './config-error';
import { LOCAL_SECRETS_FILE } from './schemas/local-mode';
import { loadConnectWiseClientConfig } from './schemas/connectwise-client.config';
import { loadConnectWiseSimConfig } from './schemas/connectwise-sim.config';
import { loadControlPlaneConfig } from './schemas/control-plane.config';

describe('configuration from the environment', () => {
  it('applies defaults when variables are absent', () => {
    const config = loadConnectWiseSimConfig({});
    expect(config).toMatchObject({ port: 4010, rateLimitPerMinute: 1000, codebase: 'v2025_1/' });
    expect(config.faults).toEqual({ timeoutRate: 0, dropRate: 0, latencyMs: 0 });
  });

  it('converts and validates typed values', () => {
    const config = loadConnectWiseSimConfig({ CW_SIM_PORT: '5001', CW_SIM_FAULT_TIMEOUT_RATE: '0.25' });
    expect(config.port).toBe(5001);
    expect(config.faults.timeoutRate).toBe(0.25);
  });

  it('splits lists and trims entries', () => {
    const config = loadConnectWiseClientConfig({ CW_EXTRA_ALLOWED_ORIGINS: ' http://127.0.0.1:4010 , https://x.example ' });
    expect(config.extraAllowedOrigins).toEqual(['http://127.0.0.1:4010', 'https://x.example']);
  });

  it('refuses at boot an allowed origin the ConnectWise client would refuse, naming neither value', () => {
    expect(() => loadConnectWiseClientConfig({ CW_EXTRA_ALLOWED_ORIGINS: 'http://connectwise-sim:4010' })).toThrow(
      'Invalid configuration: CW_EXTRA_ALLOWED_ORIGINS: origin 1 may use plain http only on a loopback address or a host named in CW_PLAIN_HTTP_HOSTS',
    );
    expect(() => loadConnectWiseClientConfig({ CW_EXTRA_ALLOWED_ORIGINS: 'https://user:pw-123@psa.example' })).toThrow(/origin 1 must be scheme:\/\/host\[:port\] only$/);
    const allowed = loadConnectWiseClientConfig({ CW_EXTRA_ALLOWED_ORIGINS: 'http://connectwise-sim:4010', CW_PLAIN_HTTP_HOSTS: 'connectwise-sim' });
    expect(allowed).toMatchObject({ extraAllowedOrigins: ['http://connectwise-sim:4010'], plainHttpHosts: ['connectwise-sim'] });
  });

  it('names every bad variable and never echoes its value', () => {
    const secretLooking = 'super-secret-value-123';
    let caught: unknown;
    try {
      loadConnectWiseSimConfig({ CW_SIM_PORT: secretLooking, CW_SIM_FAULT_DROP_RATE: '7', LOG_LEVEL: secretLooking });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const error = caught as ConfigValidationError;
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['CW_SIM_FAULT_DROP_RATE', 'CW_SIM_PORT', 'LOG_LEVEL']);
    expect(error.message).not.toContain(secretLooking);
    expect(JSON.stringify(error.problems)).not.toContain(secretLooking);
  });
});

describe('control-plane configuration', () => {
  const key = Buffer.alloc(32, 7).toString('base64');

  it('parses encryption keys and picks the last one as active by default', () => {
    const config = loadControlPlaneConfig({
      AUTH_JWT_SECRET: 'x'.repeat(32),
      CREDENTIALS_ENCRYPTION_KEYS: `k1:${key},k2:${key}`,
    });
    expect([...config.encryption.keys.keys()]).toEqual(['k1', 'k2']);
    expect(config.encryption.activeKeyId).toBe('k2');
    expect(config.database.url).toBeUndefined();
  });

  it('in fleet mode requires REDIS_URL: the panel\'s ConnectWise calls share the workers\' budget', () => {
    const fleet = { DATABASE_URL: 'postgres://db.example/cwx', AMQP_URL: 'amqp://mq.example', AUTH_JWT_SECRET: 'x'.repeat(32), CREDENTIALS_ENCRYPTION_KEYS: `k1:${key}` };
    expect(() => loadControlPlaneConfig(fleet)).toThrow(/REDIS_URL/);
    expect(loadControlPlaneConfig({ ...fleet, REDIS_URL: 'redis://cache.example:6379' }).messaging.redisUrl).toBe('redis://cache.example:6379');
  });

  it('in fleet mode requires an auth secret and encryption keys, naming them without values', () => {
    const fleet = { DATABASE_URL: 'postgres://db.example/cwx' };
    expect(() => loadControlPlaneConfig(fleet)).toThrow(/AUTH_JWT_SECRET/);
    expect(() => loadControlPlaneConfig(fleet)).toThrow(/CREDENTIALS_ENCRYPTION_KEYS/);
  });

  it('in local mode generates secrets once, keeps them private, and reuses them after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cwx-local-'));
    try {
      const first = loadControlPlaneConfig({ LOCAL_DATA_DIR: dir });
      const second = loadControlPlaneConfig({ LOCAL_DATA_DIR: dir });
      expect(first.auth.jwtSecret).toHaveLength(64);
      expect(second.auth.jwtSecret).toBe(first.auth.jwtSecret);
      expect([...second.encryption.keys.values()][0].equals([...first.encryption.keys.values()][0])).toBe(true);
      expect(statSync(join(dir, LOCAL_SECRETS_FILE)).mode & 0o777).toBe(0o600);
      expect(first.embeddedWorker).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a key of the wrong length without echoing it', () => {
    const shortKey = Buffer.alloc(16, 1).toString('base64');
    let message = '';
    try {
      loadControlPlaneConfig({ DATABASE_URL: 'postgres://db.example/cwx', AUTH_JWT_SECRET: 'x'.repeat(32), CREDENTIALS_ENCRYPTION_KEYS: `k1:${shortKey}` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('CREDENTIALS_ENCRYPTION_KEYS');
    expect(message).not.toContain(shortKey);
  });
});
