import { SignJWT } from 'jose';
import { parseArgs } from 'node:util';
import type { ControlPlaneConfig } from '@cwx/config';

export const TOKEN_USAGE = `usage: npm run -s token -- --partner <partner id> [--name "<partner name>"] [--expires 12h] [--subject <who>]
       npm run -s token -- --operator [--expires 12h] [--subject <who>]

Prints a bearer token signed with this installation's AUTH_JWT_SECRET (local mode generates one under
LOCAL_DATA_DIR). Use it as "Authorization: Bearer <token>". Claims: sub, and partner_id (+ partner_name)
for a partner's token, or role "operator" for one that may act on every partner; iat, exp.`;

export class TokenUsageError extends Error {}

const PARTNER_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * `npm run token`: a bearer token for this installation, signed like the panel signs them (HS256 with
 * AUTH_JWT_SECRET), so a person can call the API of a local installation without a panel.
 */
export async function tokenCommand(argv: string[], config: ControlPlaneConfig): Promise<string> {
  let values: { partner?: string; operator?: boolean; name?: string; expires?: string; subject?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        partner: { type: 'string' },
        operator: { type: 'boolean' },
        name: { type: 'string' },
        expires: { type: 'string', default: '12h' },
        subject: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new TokenUsageError(`${error instanceof Error ? error.message : String(error)}\n\n${TOKEN_USAGE}`);
  }
  if (Boolean(values.partner) === Boolean(values.operator)) throw new TokenUsageError(`Give either --partner <id> or --operator.\n\n${TOKEN_USAGE}`);
  if (values.partner !== undefined && !PARTNER_ID.test(values.partner)) {
    throw new TokenUsageError('--partner must be 1 to 64 letters, digits, dots, dashes or underscores (the id the API uses in /partners/{id}).');
  }
  if (!/^\d+[smhd]$/.test(values.expires ?? '')) throw new TokenUsageError('--expires must be a number with s, m, h or d (e.g. 30m, 12h, 7d).');
  const secret = config.auth.jwtSecret;
  if (!secret) throw new Error('AUTH_JWT_SECRET is not set: this installation verifies tokens against AUTH_JWKS_URL, so tokens come from that identity provider.');
  const claims = values.operator ? { role: 'operator' } : { partner_id: values.partner, ...(values.name ? { partner_name: values.name } : {}) };
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(values.subject ?? (values.operator ? 'local-operator' : `local-user-of-${values.partner}`))
    .setIssuedAt()
    .setExpirationTime(values.expires ?? '12h');
  if (config.auth.issuer) jwt = jwt.setIssuer(config.auth.issuer);
  if (config.auth.audience) jwt = jwt.setAudience(config.auth.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
