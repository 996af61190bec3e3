import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { startTestControlPlane, type TestControlPlane } from '../support/control-plane';
import { CONSOLE_DIST } from '../../apps/control-plane/src/console/console.module';

/** The console as the control plane serves it (built by `npm run build`, which `npm test` runs first). */
describe('the web console under /console', () => {
  let cp: TestControlPlane;
  const http = () => request(cp.app.getHttpServer());

  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp.close());

  it('serves the page without a token, under a CSP of self, with no inline script', async () => {
    const res = await http().get('/console/').expect(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[\w-]+\.js"><\/script>/);
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('serves its hashed assets as immutable', async () => {
    const page = await http().get('/console/').expect(200);
    const script = /src="(\/console\/assets\/[\w-]+\.js)"/.exec(page.text)?.[1] ?? '';
    const res = await http().get(script).expect(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('keeps its JavaScript under 300 kB gzipped', () => {
    const assets = join(CONSOLE_DIST, 'assets');
    const gzipped = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0);
    expect(gzipped).toBeGreaterThan(10_000);
    expect(gzipped).toBeLessThan(300 * 1024);
  });
});
