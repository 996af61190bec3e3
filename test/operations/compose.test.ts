import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import {
  declaredVariables,
  loadConnectWiseSimConfig,
  loadControlPlaneConfig,
  loadExportWorkerConfig,
  loadRuntimeRole,
  type Environment,
} from '@cwx/config';
import { SitePolicy } from '@cwx/connectwise';
import { tokenCommand } from '../../apps/control-plane/src/auth/token-command';

/**
 * No container engine runs on this project's machines, so docker-compose.yml and the Dockerfile are
 * checked as files: each service's environment goes through the same configuration code the product
 * runs at boot, so a value the product would refuse (an origin, a URL, a missing secret) fails here.
 */
const ROOT = resolve(__dirname, '../..');

interface Service {
  build?: unknown;
  image?: string;
  command?: string[] | string;
  entrypoint?: string[];
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  volumes?: string[];
  restart?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }> | string[];
}

/** What a person puts in .env before `docker compose up` (the header of docker-compose.yml says how). */
const DOT_ENV: Environment = {
  AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
  CREDENTIALS_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  POSTGRES_PASSWORD: randomBytes(16).toString('hex'),
  RABBITMQ_PASSWORD: randomBytes(16).toString('hex'),
};

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, and $$ for a literal $. */
function interpolate(value: string, vars: Environment): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (match === '$$') return '$';
    const v = vars[name!];
    if (v !== undefined && v !== '') return v;
    if (op === '?') throw new Error(`compose would refuse to start: ${name!}: ${arg ?? ''}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

function deepInterpolate<T>(value: T, vars: Environment): T {
  if (typeof value === 'string') return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => deepInterpolate(v, vars)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepInterpolate(v, vars)])) as T;
  return value;
}

function loadCompose(vars: Environment): Record<string, Service> {
  const doc = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
  return deepInterpolate(doc.services, vars);
}

/** The Dockerfile's final stage: FROM, ENV, EXPOSE, HEALTHCHECK and CMD. */
function finalStage(): { from: string; env: Record<string, string>; expose: string[]; healthcheck: string; cmd: string[] } {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const stages = text.split(/^FROM /m).slice(1);
  const last = stages[stages.length - 1];
  const lines = last.split('\n');
  const env: Record<string, string> = {};
  for (const line of lines.filter((l) => l.startsWith('ENV '))) for (const m of line.slice(4).matchAll(/([A-Z0-9_]+)=(\S+)/g)) env[m[1]] = m[2];
  const cmdLine = lines.find((l) => l.startsWith('CMD '));
  return {
    from: lines[0].trim(),
    env,
    expose: lines.filter((l) => l.startsWith('EXPOSE ')).flatMap((l) => l.slice(7).trim().split(/\s+/)),
    healthcheck: lines.find((l) => l.startsWith('HEALTHCHECK ')) ?? '',
    cmd: cmdLine ? (JSON.parse(cmdLine.slice(4)) as string[]) : [],
  };
}

function commandOf(service: Service, image: ReturnType<typeof finalStage>): string {
  const parts = [...(service.entrypoint ?? []), ...(service.command === undefined ? image.cmd : Array.isArray(service.command) ? service.command : [service.command])];
  return parts.join(' ');
}

function stringEnv(service: Service, image: ReturnType<typeof finalStage>): Environment {
  return { ...image.env, ...Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)])) };
}

describe('docker-compose.yml and the Dockerfile', () => {
  const image = finalStage();
  const services = loadCompose(DOT_ENV);
  const ours = Object.entries(services).filter(([, s]) => s.build !== undefined);

  it('the image runs the product by default on Node 24, listens on every interface, has a healthcheck, exposes its ports', () => {
    expect(image.from).toMatch(/^node:24-/);
    expect(image.cmd).toEqual(['node', 'dist/scripts/start.js']);
    expect(image.env).toMatchObject({ HTTP_HOST: '0.0.0.0', WORKER_HTTP_HOST: '0.0.0.0', CW_SIM_HOST: '0.0.0.0' });
    expect(image.healthcheck).toContain('scripts/healthcheck.js');
    expect(image.expose).toEqual(expect.arrayContaining(['3000', '3100', '4010']));
    // Started with plain node from dist/ (compiled when the image is built; `npm test` builds first here).
    for (const entry of ['scripts/start.js', 'scripts/healthcheck.js', 'scripts/token.js', 'apps/connectwise-sim/src/main.js', 'libs/platform-testing/src/cli/generate.js']) {
      expect(existsSync(join(ROOT, 'dist', entry))).toBe(true);
    }
  });

  it('the compiled code needs no alias hook: no @cwx/* import is left in dist/ (the build rewrote each to a relative path)', () => {
    const left: string[] = [];
    let files = 0;
    for (const top of ['apps', 'libs', 'scripts']) {
      for (const entry of readdirSync(join(ROOT, 'dist', top), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
        files += 1;
        const file = join(entry.parentPath, entry.name);
        if (/require\(["']@cwx\//.test(readFileSync(file, 'utf8'))) left.push(file);
      }
    }
    expect(files).toBeGreaterThan(100);
    expect(left).toEqual([]);
  });

  it('refuses to start without the secrets of .env (none has a committed default)', () => {
    expect(() => loadCompose({ ...DOT_ENV, AUTH_JWT_SECRET: undefined })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => loadCompose({ ...DOT_ENV, POSTGRES_PASSWORD: undefined })).toThrow(/POSTGRES_PASSWORD/);
  });

  it('every service restarts by policy, has a healthcheck (or is a one-shot others wait for), waits on healthy dependencies, publishes on 127.0.0.1 only', () => {
    const completedOneShots = new Set<string>();
    for (const s of Object.values(services)) {
      if (s.depends_on && !Array.isArray(s.depends_on)) {
        for (const [name, d] of Object.entries(s.depends_on)) if (d.condition === 'service_completed_successfully') completedOneShots.add(name);
      }
    }
    for (const [name, s] of Object.entries(services)) {
      expect({ name, restart: s.restart }).toEqual({ name, restart: s.restart === 'no' ? 'no' : 'unless-stopped' });
      const oneShot = s.restart === 'no';
      const hasHealthcheck = (s.healthcheck?.test !== undefined || (s.build !== undefined && image.healthcheck !== '')) && !s.healthcheck?.disable;
      expect({ name, healthcheck: oneShot || hasHealthcheck }).toEqual({ name, healthcheck: true });
      if (oneShot && name !== 'welcome') expect(completedOneShots).toContain(name);
      expect({ name, dependsOnList: Array.isArray(s.depends_on) }).toEqual({ name, dependsOnList: false });
      for (const [dep, d] of Object.entries((s.depends_on ?? {}) as Record<string, { condition: string }>)) {
        expect(services[dep]).toBeDefined();
        expect({ name, dep, condition: d.condition }).toEqual({ name, dep, condition: completedOneShots.has(dep) ? 'service_completed_successfully' : 'service_healthy' });
      }
      for (const port of s.ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
    }
  });

  it("each service's environment passes the configuration its process validates at boot; nothing set is unknown", async () => {
    const known = declaredVariables();
    const checked: string[] = [];
    for (const [name, s] of ours) {
      const env = stringEnv(s, image);
      expect({ name, unknown: Object.keys(s.environment ?? {}).filter((v) => !known.has(v)) }).toEqual({ name, unknown: [] });
      const command = commandOf(s, image);
      if (command.includes('scripts/start.js')) {
        const role = loadRuntimeRole(env);
        expect(role).not.toBe('local');
        if (role === 'worker') {
          const config = loadExportWorkerConfig(env);
          expect(config.http).toEqual({ host: '0.0.0.0', port: 3100 });
        } else {
          const config = loadControlPlaneConfig(env);
          expect(config.http.host).toBe('0.0.0.0');
          expect(s.ports).toContain(`127.0.0.1:${config.http.port}:${config.http.port}`);
          // The wizard's first step with the simulator: its site must pass the control plane's site policy.
          const site = new SitePolicy(config.connectwise.extraAllowedOrigins, { plainHttpHosts: config.connectwise.plainHttpHosts }).resolve('connectwise-sim:4010');
          expect(site.origin).toBe('http://connectwise-sim:4010');
          expect(services[new URL(site.origin).hostname]).toBeDefined();
          expect(config.platform).toEqual({ kind: 'folder', dataDir: '/data/platform' });
          expect(s.volumes).toContain('platform:/data/platform');
        }
        checked.push(`${name}:${role}`);
      } else if (command.includes('apps/connectwise-sim/src/main.js')) {
        const config = loadConnectWiseSimConfig(env);
        expect(config.host).toBe('0.0.0.0');
        expect(s.ports).toContain(`127.0.0.1:${config.port}:${config.port}`);
        checked.push(`${name}:sim`);
      } else if (command.includes('libs/platform-testing/src/cli/generate.js')) {
        const args = Array.isArray(s.command) ? s.command : [];
        expect(args[args.indexOf('--out') + 1]).toBe('/data/platform');
        expect(s.volumes).toContain('platform:/data/platform');
        checked.push(`${name}:platform-data`);
      } else if (command.includes('scripts/token.js')) {
        const partner = /--partner (\S+)/.exec(command)?.[1];
        await expectToken(command, env);
        expect(partner).toBe('demo-partner');
        checked.push(`${name}:token`);
      }
    }
    expect(checked.sort()).toEqual(['connectwise-sim:sim', 'control-plane:control-plane', 'export-worker:worker', 'platform-data:platform-data', 'welcome:token'].sort());
  });
});

async function expectToken(command: string, env: Environment): Promise<void> {
  const args = /scripts\/token\.js ([^;]*)/.exec(command)?.[1].trim().split(/\s+/) ?? [];
  await expect(tokenCommand(args, loadControlPlaneConfig(env))).resolves.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
}
