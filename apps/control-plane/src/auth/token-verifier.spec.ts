import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

describe('TokenVerifier', () => {
  const secret = 's'.repeat(40);
  const sign = (claims: Record<string, unknown>, key: Uint8Array = new TextEncoder().encode(secret)) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1').setIssuedAt().setExpirationTime('5m').sign(key);

  it('reads a partner token and an operator token', async () => {
    const verifier = new TokenVerifier({ jwtSecret: secret });
    await expect(verifier.verify(await sign({ partner_id: 'p-1', partner_name: 'P One' }))).resolves.toEqual({
      kind: 'partner',
      subject: 'user-1',
      partnerId: 'p-1',
      partnerName: 'P One',
    });
    await expect(verifier.verify(await sign({ role: 'operator' }))).resolves.toEqual({ kind: 'operator', subject: 'user-1' });
  });

  it.each([
    ['no partner and no operator role', { foo: 1 }],
    ['a partner id that is not a safe path segment', { partner_id: '../other' }],
  ])('refuses a token with %s', async (_what, claims) => {
    await expect(new TokenVerifier({ jwtSecret: secret }).verify(await sign(claims))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', role: 'operator' })).toString('base64url');
    await expect(new TokenVerifier({ jwtSecret: secret }).verify(`${header}.${body}.`)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  describe('a verified token is remembered', () => {
    afterEach(() => jest.useRealTimers());

    it('no longer than its expiry allows: refused from exp + 30 s on, as on its first use', async () => {
      jest.useFakeTimers({ now: Date.parse('2026-12-06T04:00:00.400Z') });
      const verifier = new TokenVerifier({ jwtSecret: secret });
      // Already past exp, within the tolerance: the expiry bounds the memory (20 s), not the 30 s of trust.
      const exp = Math.floor(Date.now() / 1000) - 10;
      const token = await new SignJWT({ partner_id: 'p-1' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setExpirationTime(exp).sign(new TextEncoder().encode(secret));
      await expect(verifier.verify(token)).resolves.toMatchObject({ partnerId: 'p-1' });
      jest.setSystemTime((exp + 30) * 1000 - 1);
      await expect(verifier.verify(token)).resolves.toMatchObject({ partnerId: 'p-1' });
      jest.setSystemTime((exp + 30) * 1000);
      await expect(verifier.verify(token)).rejects.toThrow('token expired');
      // A fresh verifier agrees at both instants.
      jest.setSystemTime((exp + 30) * 1000 - 1);
      await expect(new TokenVerifier({ jwtSecret: secret }).verify(token)).resolves.toMatchObject({ partnerId: 'p-1' });
      jest.setSystemTime((exp + 30) * 1000);
      await expect(new TokenVerifier({ jwtSecret: secret }).verify(token)).rejects.toThrow('token expired');
    });

    it('and a refused token is refused every time', async () => {
      const verifier = new TokenVerifier({ jwtSecret: secret });
      const forged = await sign({ partner_id: 'p-1' }, new TextEncoder().encode('x'.repeat(40)));
      await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    });
  });

  describe('with a JWKS', () => {
    let server: Server;
    let url: string;
    let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

    beforeAll(async () => {
      const pair = await generateKeyPair('ES256');
      privateKey = pair.privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('accepts a token signed by a key of the set, alongside HS256 tokens', async () => {
      const verifier = new TokenVerifier({ jwtSecret: secret, jwksUrl: url, issuer: 'panel' });
      const token = await new SignJWT({ partner_id: 'p-2' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('u')
        .setIssuer('panel')
        .setExpirationTime('5m')
        .sign(privateKey);
      await expect(verifier.verify(token)).resolves.toMatchObject({ kind: 'partner', partnerId: 'p-2' });
      await expect(verifier.verify(await new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'HS256' }).setSubject('o').setIssuer('panel').setExpirationTime('5m').sign(new TextEncoder().encode(secret)))).resolves.toMatchObject({ kind: 'operator' });
    });

    it('refuses a token from another issuer', async () => {
      const verifier = new TokenVerifier({ jwksUrl: url, issuer: 'panel' });
      const token = await new SignJWT({ partner_id: 'p-2' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('u').setIssuer('elsewhere').setExpirationTime('5m').sign(privateKey);
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    });
  });
});
