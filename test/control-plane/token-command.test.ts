import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { loadControlPlaneConfig } from '@cwx/config';
import { InProcessMessageBus } from '@cwx/messaging';
import { createControlPlaneApp } from '../../apps/control-plane/src/bootstrap';

const ROOT = resolve(__dirname, '../..');

/** `npm run -s token -- …` as a person runs it (the compiled script; `npm test` builds first). */
function token(dataDir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/token.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOCAL_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('npm run token (local mode)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cwx-token-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints tokens the local installation accepts: a partner sees its own data only, an operator every partner', async () => {
    const partner = token(dir, '--partner', 'acme-msp', '--name', 'Acme MSP');
    expect(partner).toMatchObject({ status: 0, stderr: '' });
    expect(partner.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(partner.stdout.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ partner_id: 'acme-msp', partner_name: 'Acme MSP', sub: 'local-user-of-acme-msp' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(12 * 3600);
    const operator = token(dir, '--operator', '--expires', '30m');
    expect(operator.status).toBe(0);

    // The server started afterwards on the same data dir signs nothing itself but verifies these.
    const bus = new InProcessMessageBus();
    const app = await createControlPlaneApp({ config: loadControlPlaneConfig({ LOCAL_DATA_DIR: dir, LOG_LEVEL: 'silent' }), inMemoryDatabase: true, scheduler: false, bus });
    try {
      await app.init();
      const http = () => request(app.getHttpServer());
      await http().get('/partners/acme-msp/integration').auth(partner.stdout, { type: 'bearer' }).expect(200);
      await http().get('/partners/other-msp/integration').auth(partner.stdout, { type: 'bearer' }).expect(404);
      await http().get('/partners/acme-msp/integration').auth(operator.stdout, { type: 'bearer' }).expect(200);
      await http().get('/partners/acme-msp/integration').expect(401);
    } finally {
      await app.close();
      await bus.close();
    }
  });

  it('explains its usage: --help, and a clear refusal of bad arguments', () => {
    const help = token(dir, '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('npm run -s token -- --partner <partner id>');
    expect(token(dir)).toMatchObject({ status: 2, stderr: expect.stringContaining('Give either --partner <id> or --operator.') });
    expect(token(dir, '--partner', 'a', '--operator').status).toBe(2);
    expect(token(dir, '--partner', 'bad id!')).toMatchObject({ status: 2, stderr: expect.stringContaining('--partner must be') });
    expect(token(dir, '--partner', 'p', '--bogus')).toMatchObject({ status: 2, stderr: expect.stringContaining("Unknown option '--bogus'") });
  });
});
