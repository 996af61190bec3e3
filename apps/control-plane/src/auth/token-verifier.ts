import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { neutraliseText, PLATFORM_ID_PATTERN } from '@cwx/platform';
import type { Principal } from './principal';

export interface TokenVerifierOptions {
  jwtSecret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

/** How long a verified token is taken on trust before its signature is checked again (a JWKS key removed stops working within this). */
export const VERIFIED_TOKEN_TTL_MS = 30_000;
/** The clock tolerance of `exp` and `nbf`, in seconds (jose's `clockTolerance`). */
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_REMEMBERED_TOKENS = 10_000;

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Verifies the panel's bearer tokens: HS256 with the configured secret, or RS256/ES256 against a
 * JWKS. Claims: `sub`, and either `partner_id` (a partner's token; the platform's id rule) or `role: "operator"`.
 */
export class TokenVerifier {
  private readonly secret?: Uint8Array;
  private readonly jwks?: JWTVerifyGetKey;
  /**
   * Tokens verified in the last {@link VERIFIED_TOKEN_TTL_MS}, by SHA-256 of the token (the token itself is not
   * kept), until then or until they expire, whichever comes first: a panel sends the same token with every
   * request, and checking its signature and claims again cost more CPU than the rest of the guard.
   */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.jwtSecret) this.secret = new TextEncoder().encode(options.jwtSecret);
    if (options.jwksUrl) this.jwks = createRemoteJWKSet(new URL(options.jwksUrl));
    if (!this.secret && !this.jwks) throw new Error('a JWT secret or a JWKS URL is required');
  }

  async verify(token: string): Promise<Principal> {
    const key = createHash('sha256').update(token).digest('base64url');
    const now = Date.now();
    const remembered = this.verified.get(key);
    if (remembered && now < remembered.until) return remembered.principal;
    const payload = await this.verifySignature(token);
    const principal = principalOf(payload);
    // jose refuses a token once the current second reaches `exp` + the tolerance.
    const expiresAt = typeof payload.exp === 'number' ? (payload.exp + CLOCK_TOLERANCE_SECONDS) * 1000 : Infinity;
    if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.clear();
    this.verified.set(key, { principal, until: Math.min(now + VERIFIED_TOKEN_TTL_MS, expiresAt) });
    return principal;
  }

  private async verifySignature(token: string): Promise<JWTPayload> {
    const common = { issuer: this.options.issuer, audience: this.options.audience, clockTolerance: CLOCK_TOLERANCE_SECONDS };
    try {
      if (this.secret) {
        try {
          return (await jwtVerify(token, this.secret, { ...common, algorithms: ['HS256'] })).payload;
        } catch (error) {
          if (!this.jwks || !(error instanceof joseErrors.JOSEAlgNotAllowed)) throw error;
        }
      }
      return (await jwtVerify(token, this.jwks as JWTVerifyGetKey, { ...common, algorithms: ['RS256', 'ES256'] })).payload;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      throw new InvalidTokenError(error instanceof joseErrors.JWTExpired ? 'token expired' : 'token invalid');
    }
  }
}

/** Who the verified claims name; refuses a token without a subject or a valid partner. */
function principalOf(payload: JWTPayload): Principal {
  const subject = typeof payload.sub === 'string' ? payload.sub : '';
  if (!subject) throw new InvalidTokenError('token has no subject');
  if (payload.role === 'operator') return { kind: 'operator', subject };
  const partnerId = payload.partner_id;
  if (typeof partnerId !== 'string' || !PLATFORM_ID_PATTERN.test(partnerId)) {
    throw new InvalidTokenError('token names no valid partner');
  }
  // A display name only: neutralised like platform text, and bounded.
  const partnerName = typeof payload.partner_name === 'string' ? neutraliseText(payload.partner_name).slice(0, 200) : undefined;
  return { kind: 'partner', subject, partnerId, ...(partnerName ? { partnerName } : {}) };
}
