import type { IncomingHttpHeaders } from 'node:http';
import type { SimMember, SimState } from '../simulator/state';
import { ApiError } from './api-error';

export interface BasicCredentials {
  companyId: string;
  publicKey: string;
  privateKey: string;
}

/** `Authorization: Basic base64(companyId+publicKey:privateKey)`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const plus = user.indexOf('+');
  if (plus < 0) return undefined;
  return { companyId: user.slice(0, plus), publicKey: user.slice(plus + 1), privateKey: decoded.slice(colon + 1) };
}

/**
 * 401 body. No source captured it verbatim (API-NOTES §2.1): ConnectWiseManageAPI's error handler
 * checks `code == 'Unauthorized'` first, so that code is used, with the "Incorrect public/private key"
 * wording a third-party KB quotes. (The other form seen, `ConnectWiseApi`/`UserNotAuthenticated`,
 * came from a call whose cause was never settled.)
 */
export function unauthorized(): ApiError {
  return new ApiError(401, { code: 'Unauthorized', message: 'Incorrect public/private key' });
}

/**
 * The member behind the request's Basic credentials. The login company id is compared
 * case-sensitively (a third-party note says it is case-sensitive; unverified).
 */
export function authenticate(headers: IncomingHttpHeaders, state: SimState): SimMember {
  const credentials = parseBasicAuth(headers.authorization);
  if (!credentials || credentials.companyId !== state.tenant.companyId) throw unauthorized();
  const member = state.members.find((m) => m.publicKey === credentials.publicKey && m.privateKey === credentials.privateKey);
  if (!member || member.inactiveFlag) throw unauthorized();
  return member;
}

/** The login company named in the credentials, before they are checked (the rate limit is per company). */
export function companyOf(headers: IncomingHttpHeaders): string | undefined {
  return parseBasicAuth(headers.authorization)?.companyId;
}

/**
 * The `clientId` header is required on every call since 2019 (Developer Guide), but the answer when
 * it is missing was never captured. A third-party page says "a 400 with clientId in the error"; the
 * simulator answers that (unverified). Any non-empty value is accepted: the real server may also check
 * that it is a registered GUID.
 */
export function requireClientId(headers: IncomingHttpHeaders): void {
  const value = headers.clientid;
  const clientId = Array.isArray(value) ? value[0] : value;
  if (!clientId || clientId.trim() === '') {
    throw new ApiError(400, {
      code: 'InvalidClientId',
      message: 'The clientId header is required. Register your integration at https://developer.connectwise.com/ClientID to get one.',
    });
  }
}
