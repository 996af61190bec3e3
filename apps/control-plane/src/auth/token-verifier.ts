import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { neutraliseText, PLATFORM_ID_PATTERN } from '@cwx/platform';
import type { Principal } from './principal';

export interface TokenVerifierOptions {
  jwtSecret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

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

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.jwtSecret) this.secret = new TextEncoder().encode(options.jwtSecret);
    if (options.jwksUrl) this.jwks = createRemoteJWKSet(new URL(options.jwksUrl));
    if (!this.secret && !this.jwks) throw new Error('a JWT secret or a JWKS URL is required');
  }

  async verify(token: string): Promise<Principal> {
    const payload = await this.verifySignature(token);
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

  private async verifySignature(token: string): Promise<JWTPayload> {
    const common = { issuer: this.options.issuer, audience: this.options.audience, clockTolerance: 30 };
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
