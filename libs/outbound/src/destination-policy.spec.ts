import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forbiddenNameReason, isLoopbackHost, privateAddressReason } from './addresses';
import { DestinationPolicy, DestinationRefusedError, type Resolver } from './destination-policy';

/** A resolver that answers from a table, as DNS would (deterministic, no network). */
const table =
  (entries: Record<string, string[]>): Resolver =>
  (hostname) => {
    const addresses = entries[hostname];
    if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) })));
  };

describe('non-public addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['::1', 'loopback'],
    ['fd00::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['64:ff9b::a00:1', 'NAT64 (embeds an IPv4 address)'],
    ['2002:a00:1::', '6to4 (embeds an IPv4 address)'],
    ['[::1]', 'loopback'],
  ])('%s is %s', (address, reason) => {
    expect(privateAddressReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', 'not-an-address'])('%s is public (or not an address)', (address) => {
    expect(privateAddressReason(address)).toBeUndefined();
  });

  it('names loopback hosts and forbidden names', () => {
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('LOCALHOST.')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.nip.io')).toBe(false);
    expect(forbiddenNameReason('metadata.google.internal.')).toBeDefined();
    expect(forbiddenNameReason('api-na.myconnectwise.net')).toBeUndefined();
  });
});

describe('DestinationPolicy', () => {
  const strict = new DestinationPolicy({ resolve: table({ 'hooks.example.test': ['93.184.216.34'], 'inside.example.test': ['93.184.216.34', '10.0.0.7'] }) });

  it.each(['http://2130706433/', 'http://127.1/', 'http://0x7f.1/', 'http://017700000001/', 'http://[::ffff:7f00:1]/', 'https://169.254.169.254/latest/meta-data/', 'https://metadata.google.internal/'])(
    'refuses %s without resolving it',
    (url) => {
      expect(strict.urlProblem(new URL(url))).toMatch(/non-public destination/);
    },
  );

  it('refuses at save time a name that resolves to any non-public address, and accepts a public one', async () => {
    await expect(strict.resolvedProblem(new URL('https://inside.example.test/x'))).resolves.toMatch(/resolves to 10\.0\.0\.7: private/);
    await expect(strict.resolvedProblem(new URL('https://hooks.example.test/x'))).resolves.toBeUndefined();
    // A name that does not resolve now is left to the connection-time check.
    await expect(strict.resolvedProblem(new URL('https://nowhere.example.test/x'))).resolves.toBeUndefined();
  });

  it('allows everything only when told to', async () => {
    const development = new DestinationPolicy({ allowPrivate: true, resolve: table({ 'inside.example.test': ['10.0.0.7'] }) });
    expect(development.urlProblem(new URL('http://127.0.0.1:6379/'))).toBeUndefined();
    await expect(development.resolvedProblem(new URL('https://inside.example.test/'))).resolves.toBeUndefined();
  });

  describe('at connection time (a name that resolves to loopback, as after DNS rebinding)', () => {
    let server: Server;
    let port: number;
    let hits = 0;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        hits += 1;
        res.end('ok');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    const get = (policy: DestinationPolicy) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`http://rebound.example.test:${port}/`, { agent: policy.agentFor('http:') }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });

    it('refuses the socket by default, and connects when private destinations are allowed', async () => {
      const resolve = table({ 'rebound.example.test': ['127.0.0.1'] });
      const before = hits;
      const refused = await get(new DestinationPolicy({ resolve })).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DestinationRefusedError);
      expect((refused as DestinationRefusedError).code).toBe('EDESTINATIONREFUSED');
      expect(hits).toBe(before);
      await expect(get(new DestinationPolicy({ resolve, allowPrivate: true }))).resolves.toBe(200);
      expect(hits).toBe(before + 1);
    });

    it('checks every address the socket may use, not only the first', async () => {
      const resolve = table({ 'rebound.example.test': ['93.184.216.34', '127.0.0.1'] });
      await expect(get(new DestinationPolicy({ resolve }))).rejects.toBeInstanceOf(DestinationRefusedError);
    });
  });
});
