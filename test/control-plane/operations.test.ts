import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { loadControlPlaneConfig } from '@cwx/config';
import { InProcessMessageBus } from '@cwx/messaging';
import { productVersion } from '@cwx/observability';
import { createControlPlaneApp } from '../../apps/control-plane/src/bootstrap';
import { GetSettings } from '../../apps/control-plane/src/settings/settings.use-cases';
import { startBanner } from '../../apps/control-plane/src/start-banner';
import { partnerToken, testControlPlaneConfig } from '../support/control-plane';

/** Every JSON line the app logs, parsed. */
function logSink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('operating the control plane', () => {
  it('logs an unhandled 500 with its real cause and answers with only an error id; start-up logs stay quiet', async () => {
    const sink = logSink();
    const bus = new InProcessMessageBus();
    const app = await createControlPlaneApp({ config: testControlPlaneConfig({ logLevel: 'info' }), inMemoryDatabase: true, scheduler: false, bus, logDestination: sink.stream });
    try {
      await app.init();
      // Nest's per-module and per-route lines (about 60) are not logged; main.ts prints a banner instead.
      const startUp = sink.lines().filter((l) => ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'].includes(String(l.context)));
      expect(startUp).toEqual([]);

      const cause = new Error('connect ECONNREFUSED 127.0.0.1:5432');
      jest.spyOn(app.get(GetSettings), 'execute').mockRejectedValue(new Error('Failed query: select … from export_settings', { cause }));
      const res = await request(app.getHttpServer())
        .get('/partners/p-500/integration/settings')
        .auth(await partnerToken('p-500'), { type: 'bearer' })
        .expect(500);
      expect(res.body).toEqual({ statusCode: 500, code: 'internal_error', message: 'Internal error; quote this id to support.', errorId: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');

      const logged = sink.lines().find((l) => l.errorId === res.body.errorId);
      expect(logged).toMatchObject({
        level: 50,
        msg: 'unhandled error',
        err: { type: 'Error', message: 'Failed query: select … from export_settings', cause: 'Error: connect ECONNREFUSED 127.0.0.1:5432' },
      });
      expect(JSON.stringify(logged)).not.toContain('[object Object]');
    } finally {
      await app.close();
      await bus.close();
    }
  });

  it('readiness covers the database and the broker; a closed broker makes it 503', async () => {
    const bus = new InProcessMessageBus();
    const app = await createControlPlaneApp({ config: testControlPlaneConfig(), inMemoryDatabase: true, scheduler: false, bus, messaging: false });
    try {
      await app.init();
      const up = await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(up.body.info).toEqual({ database: { status: 'up', driver: 'pglite' }, broker: { status: 'up' } });
      await bus.close();
      const down = await request(app.getHttpServer()).get("/health/ready").expect(503);
      expect(down.body).toMatchObject({ statusCode: 503, code: 'not_ready', message: 'Not ready: broker down', error: { broker: { status: 'down' } } });
    } finally {
      await app.close();
    }
  });

  it('a local-mode start shows the API, its docs and how to get a token in its first lines', () => {
    const config = loadControlPlaneConfig({ LOCAL_DATA_DIR: '/tmp/cwx-banner', AUTH_JWT_SECRET: 'x'.repeat(32), CREDENTIALS_ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}`, HTTP_PORT: '3999' });
    const banner = startBanner(config);
    expect(banner[0]).toBe(`cwx ${productVersion()} — control plane (local mode) listening on http://127.0.0.1:3999`);
    expect(banner.join('\n')).toContain('http://127.0.0.1:3999/docs');
    expect(banner.join('\n')).toContain('npm run token -- --partner <partner id>');
    expect(banner.length).toBeLessThanOrEqual(8);

    const fleet = startBanner(loadControlPlaneConfig({ DATABASE_URL: 'postgres://db/cwx', AUTH_JWT_SECRET: 'x'.repeat(32), CREDENTIALS_ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}`, HTTP_HOST: '0.0.0.0' }));
    expect(fleet[0]).toContain('(fleet mode) listening on http://127.0.0.1:3000');
    expect(fleet.join('\n')).not.toContain('npm run token'); // fleet tokens come from the panel
  });
});

describe('the committed OpenAPI document', () => {
  const doc = JSON.parse(readFileSync(join(__dirname, '../../openapi/control-plane.json'), 'utf8')) as {
    info: { version: string };
    paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json'?: { schema?: { $ref?: string } } } }> }>>;
    components: { securitySchemes: { bearer: { description?: string } } };
  };

  it('carries the package version', () => {
    expect(doc.info.version).toBe((JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version);
  });

  it('documents the uniform error body for 400, 401, 404, 409, 422 and 429 on every partner route, and the token claims', () => {
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/partners/'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.length).toBeGreaterThan(20);
    for (const { route, op } of operations) {
      for (const status of ['400', '401', '404', '409', '422', '429']) {
        expect({ route, status, schema: op.responses[status]?.content?.['application/json']?.schema?.$ref }).toEqual({
          route,
          status,
          schema: '#/components/schemas/ErrorResponseDto',
        });
      }
    }
    expect(doc.components.securitySchemes.bearer.description).toEqual(expect.stringContaining('`partner_id`'));
    expect(doc.components.securitySchemes.bearer.description).toEqual(expect.stringContaining('`role: "operator"`'));
    expect(doc.components.securitySchemes.bearer.description).toEqual(expect.stringContaining('npm run token'));
  });
});
