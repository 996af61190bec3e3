import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadControlPlaneConfig, loadRuntimeRole } from '@cwx/config';
import { InProcessMessageBus } from '@cwx/messaging';
import { SignJWT } from 'jose';
import { createControlPlaneApp } from '../../apps/control-plane/src/bootstrap';

describe('local mode', () => {
  it('keeps its data across a restart (PGlite under LOCAL_DATA_DIR, migrations at start)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cwx-local-restart-'));
    const env = { LOCAL_DATA_DIR: dir, LOG_LEVEL: 'silent', CWX_SCHEDULER: 'false' };
    const settings = {
      exportMode: 'manual',
      timeZone: 'Europe/Paris',
      data: { products: true, quantity: true, cost: false, retailPrice: true, usersList: false },
      disappearedSku: 'cancel',
      connectwiseDefaults: {},
    };
    try {
      for (const round of [1, 2]) {
        const config = loadControlPlaneConfig(env);
        const bus = new InProcessMessageBus();
        const app = await createControlPlaneApp({ config, bus });
        await app.init();
        const token = await new SignJWT({ partner_id: 'local-p' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('u')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(config.auth.jwtSecret ?? ''));
        const http = request(app.getHttpServer());
        if (round === 1) {
          await http.put('/partners/local-p/integration/settings').auth(token, { type: 'bearer' }).send(settings).expect(200);
        } else {
          const res = await http.get('/partners/local-p/integration/settings').auth(token, { type: 'bearer' }).expect(200);
          expect(res.body).toMatchObject({ version: 1, timeZone: 'Europe/Paris', disappearedSku: 'cancel', data: { usersList: false } });
        }
        await app.close();
        await bus.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Two cold PGlite starts, each applying every migration: 24 s seen on a loaded 2-core machine.
  }, 120_000);

  it('is what npm start runs without DATABASE_URL and AMQP_URL; fleet roles need both', () => {
    expect(loadRuntimeRole({})).toBe('local');
    expect(loadRuntimeRole({ DATABASE_URL: 'postgres://h/db', AMQP_URL: 'amqp://h' })).toBe('control-plane');
    expect(loadRuntimeRole({ DATABASE_URL: 'postgres://h/db', AMQP_URL: 'amqp://h', CWX_ROLE: 'worker' })).toBe('worker');
    expect(() => loadRuntimeRole({ CWX_ROLE: 'worker' })).toThrow(/CWX_ROLE.*DATABASE_URL and AMQP_URL/);
  });
});
