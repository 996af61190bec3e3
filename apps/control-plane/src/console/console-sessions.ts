import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Principal } from '../auth/principal';

/** The console's session cookie: HttpOnly, SameSite=Strict, never readable by the page's scripts. */
export const SESSION_COOKIE = 'cwx_console';
/** Writes with the session cookie must carry this header too (a cross-site form cannot set it). */
export const CONSOLE_HEADER = 'x-cwx-console';
export const SESSION_TTL_SECONDS = 8 * 3600;
export const SIGN_IN_CODE_TTL_SECONDS = 15 * 60;
const ISSUER = 'cwx-console';

export class SessionExpiredError extends Error {}
export class SessionInvalidError extends Error {}

/** The key that signs console sessions, derived from the active credentials key (always configured). */
export function consoleSessionKey(encryptionKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', encryptionKey, new Uint8Array(0), 'cwx console session v1', 32));
}

export function newSignInCode(): { code: string; hash: string } {
  const code = randomBytes(24).toString('base64url');
  return { code, hash: hashSignInCode(code) };
}

export function hashSignInCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/**
 * Console sessions: a JWT signed by the control plane with its own derived key, carried in the
 * session cookie. Stateless, so any replica accepts it; it lasts {@link SESSION_TTL_SECONDS}.
 */
export class ConsoleSessions {
  constructor(private readonly key: Uint8Array) {}

  async issue(principal: Principal, ttlSeconds = SESSION_TTL_SECONDS, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(now + ttlSeconds * 1000);
    const claims = principal.kind === 'partner' ? { partner_id: principal.partnerId, partner_name: principal.partnerName } : { role: 'operator' };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(principal.subject)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  async verify(token: string): Promise<{ principal: Principal; expiresAt: Date }> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const subject = String(payload.sub ?? '');
      const expiresAt = new Date((payload.exp ?? 0) * 1000);
      if (payload.role === 'operator') return { principal: { kind: 'operator', subject }, expiresAt };
      if (typeof payload.partner_id !== 'string') throw new SessionInvalidError('session names no partner');
      const partnerName = typeof payload.partner_name === 'string' ? payload.partner_name : undefined;
      return { principal: { kind: 'partner', subject, partnerId: payload.partner_id, ...(partnerName ? { partnerName } : {}) }, expiresAt };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new SessionExpiredError('console session expired');
      if (error instanceof SessionInvalidError) throw error;
      throw new SessionInvalidError('console session invalid');
    }
  }
}

/** The value of one cookie in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
