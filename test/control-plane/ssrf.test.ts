import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ConnectWiseClient, isConnectWiseError } from '@cwx/connectwise';
import { DestinationPolicy, type Resolver } from '@cwx/outbound';
import { WebhookChannel } from '../../apps/control-plane/src/notifications/channels';
import { partnerToken, startTestControlPlane, testControlPlaneConfig, type TestControlPlane } from '../support/control-plane';

/** DNS as a table: deterministic, no network. */
const resolver =
  (entries: Record<string, string[]>): Resolver =>
  (hostname) => {
    const addresses = entries[hostname];
    if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) })));
  };

const DNS = resolver({
  'hooks.partner.test': ['127.0.0.1'], // a partner's name that resolves to loopback
  'hooks6.partner.test': ['93.184.216.34', '::1'],
  'good.partner.test': ['93.184.216.34'],
  'api-na.myconnectwise.net': ['127.0.0.1'], // ConnectWise's own name, rebound to loopback
});

/** Records requests; answers 200, or a redirect to `redirectTo` when set. */
function receiver(): Promise<{ server: Server; port: number; hits: string[]; redirectTo?: string }> {
  const state: { server: Server; port: number; hits: string[]; redirectTo?: string } = { server: undefined as unknown as Server, port: 0, hits: [] };
  state.server = createServer((req, res) => {
    state.hits.push(req.url ?? '');
    if (state.redirectTo) res.writeHead(302, { location: state.redirectTo }).end();
    else res.writeHead(200).end('ok');
  });
  return new Promise((resolve) =>
    state.server.listen(0, '127.0.0.1', () => {
      state.port = (state.server.address() as AddressInfo).port;
      resolve(state);
    }),
  );
}

describe('SSRF: outbound destinations are public by default', () => {
  let cp: TestControlPlane;
  const strict = new DestinationPolicy({ resolve: DNS });
  const http = () => request(cp.app.getHttpServer());

  beforeAll(async () => {
    cp = await startTestControlPlane({ destinations: strict, config: { outbound: { allowPrivateDestinations: false } } });
  });
  afterAll(() => cp.close());

  describe('a webhook URL is refused when saved', () => {
    const base = { emailRecipients: [], events: ['run.report'], cadence: 'every_run', silentWhenUnchanged: true };
    it.each([
      'https://169.254.169.254/latest/meta-data/iam/',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://10.0.0.5/hook',
      'https://172.16.3.4/hook',
      'https://192.168.1.10/hook',
      'https://[fd00::5]/hook',
      'https://[::ffff:192.168.1.10]/hook',
      'https://localhost/hook',
      'http://127.0.0.1:6379/',
      'http://2130706433:15672/api/overview',
      'http://127.1:5672/',
      'http://0x7f.1:3000/partners',
      'http://[::1]:3000/',
      'https://hooks.partner.test/cwx',
      'https://hooks6.partner.test/cwx',
    ])('%s → 400', async (webhookUrl) => {
      const res = await http()
        .put('/partners/ssrf-1/integration/notifications')
        .auth(await partnerToken('ssrf-1'), { type: 'bearer' })
        .send({ ...base, webhookUrl });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed', errors: [{ field: 'webhookUrl' }] });
    });

    it('accepts a public https receiver', async () => {
      const res = await http()
        .put('/partners/ssrf-2/integration/notifications')
        .auth(await partnerToken('ssrf-2'), { type: 'bearer' })
        .send({ ...base, webhookUrl: 'https://good.partner.test/cwx' });
      expect(res.status).toBe(200);
    });
  });

  it('refuses ConnectWise credentials whose site resolves to loopback (422 site_not_allowed), before any call', async () => {
    const res = await http()
      .put('/partners/ssrf-3/integration/credentials')
      .auth(await partnerToken('ssrf-3'), { type: 'bearer' })
      .send({ site: 'api-na.myconnectwise.net', companyId: 'acme', publicKey: 'pub', privateKey: 'priv' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'credentials_rejected', problem: 'site_not_allowed' });
    expect(res.body.message).toMatch(/resolves to 127\.0\.0\.1: loopback/);
  });

  it('refuses a configured loopback ConnectWise origin unless private destinations are allowed', () => {
    const credentials = { site: 'http://127.0.0.1:4010', companyId: 'demo', publicKey: 'p', privateKey: 'k' };
    const options = { clientId: 'ssrf', extraAllowedOrigins: ['http://127.0.0.1:4010'] };
    const refused = (() => {
      try {
        return new ConnectWiseClient(credentials, { ...options, destinations: strict });
      } catch (error) {
        return error;
      }
    })();
    expect(isConnectWiseError(refused, 'site-not-allowed')).toBe(true);
    expect(new ConnectWiseClient(credentials, { ...options, destinations: new DestinationPolicy({ allowPrivate: true }) }).site.origin).toBe('http://127.0.0.1:4010');
  });

  it('refuses a ConnectWise connection whose name resolves to loopback at connect time (no retry)', async () => {
    const client = new ConnectWiseClient(
      { site: 'api-na.myconnectwise.net', companyId: 'acme', publicKey: 'p', privateKey: 'k' },
      { clientId: 'ssrf', destinations: strict, maxRetries: 3, retryBaseDelayMs: 1, requestTimeoutMs: 2000 },
    );
    const error = await client.companyInfo().catch((e: unknown) => e);
    expect(isConnectWiseError(error, 'site-not-allowed')).toBe(true);
    expect(client.stats().total).toBeLessThanOrEqual(1);
  });

  describe('a webhook delivery', () => {
    let target: Awaited<ReturnType<typeof receiver>>;
    let bounce: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      target = await receiver();
      bounce = await receiver();
    });
    afterAll(async () => {
      await new Promise((r) => target.server.close(r));
      await new Promise((r) => bounce.server.close(r));
    });
    const channel = (policy: DestinationPolicy) => new WebhookChannel(testControlPlaneConfig(), policy);
    const send = (policy: DestinationPolicy, url: string) => channel(policy).send({ url, secret: 's', event: 'run.report', notificationId: 1, body: { a: 1 } });

    it('to a name that resolves to loopback (DNS rebinding after the save) is refused; allowed only when private destinations are', async () => {
      const url = `http://hooks.partner.test:${target.port}/hook`;
      const refused = await send(strict, url);
      expect(refused).toMatchObject({ ok: false, statusCode: null });
      expect(refused.error).toMatch(/destination refused: .*127\.0\.0\.1/);
      expect(target.hits).toEqual([]);
      const allowed = await send(new DestinationPolicy({ resolve: DNS, allowPrivate: true }), url);
      expect(allowed).toMatchObject({ ok: true, statusCode: 200 });
      expect(target.hits).toEqual(['/hook']);
    });

    it('to an address literal inside is refused without a connection', async () => {
      const refused = await send(strict, `http://127.0.0.1:${target.port}/literal`);
      expect(refused.error).toMatch(/destination refused/);
      expect(target.hits).not.toContain('/literal');
    });

    it('never follows a redirect', async () => {
      bounce.redirectTo = `http://127.0.0.1:${target.port}/redirected`;
      const outcome = await send(new DestinationPolicy({ allowPrivate: true }), `http://127.0.0.1:${bounce.port}/hook`);
      expect(outcome).toMatchObject({ ok: false, statusCode: 302 });
      expect(outcome.error).toMatch(/redirects are not followed/);
      expect(bounce.hits).toEqual(['/hook']);
      expect(target.hits).not.toContain('/redirected');
    });
  });
});
