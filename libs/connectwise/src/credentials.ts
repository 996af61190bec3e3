import { DestinationPolicy } from '@cwx/outbound';
import type { ConnectWiseCredentials } from './auth';
import { ConnectWiseClient, type ConnectWiseClientOptions } from './client';
import { CodebaseCache } from './codebase';
import { isConnectWiseError, type ConnectWiseError, type ConnectWiseErrorKind } from './errors';
import { missingPermissions, type MissingPermission } from './permissions';

/** The outcome of a live credential check; every expected failure is a value, not an exception. */
export type CredentialCheck =
  | { outcome: 'ok'; version?: string; codebase: string; isCloud?: boolean; memberIdentifier?: string }
  | { outcome: 'site-not-allowed'; message: string; hint?: string }
  | { outcome: 'site-unreachable'; message: string; reason: 'dns' | 'refused' | 'timeout' | 'network' }
  | { outcome: 'unknown-company'; message: string }
  | { outcome: 'invalid-keys'; message: string }
  | { outcome: 'missing-permissions'; message: string; missing: MissingPermission[] }
  | { outcome: 'error'; message: string; kind: ConnectWiseErrorKind; httpStatus?: number; code?: string };

/** Interactive limits: a person is waiting for the answer. */
const CHECK_MAX_RETRIES = 2;
const CHECK_MAX_DELAY_MS = 2_000;
const CHECK_TIMEOUT_MS = 15_000;

/**
 * Validates credentials the way the settings page needs: site on the allow-list, site reachable
 * (companyinfo), company known, keys accepted (`/system/info`), and the security role grants every
 * permission of docs/connectwise-permissions.md (`/system/mySecurity`).
 */
export async function validateCredentials(credentials: ConnectWiseCredentials, options: ConnectWiseClientOptions): Promise<CredentialCheck> {
  let client: ConnectWiseClient;
  try {
    client = new ConnectWiseClient(credentials, {
      ...options,
      maxRetries: Math.min(options.maxRetries ?? CHECK_MAX_RETRIES, CHECK_MAX_RETRIES),
      retryMaxDelayMs: Math.min(options.retryMaxDelayMs ?? CHECK_MAX_DELAY_MS, CHECK_MAX_DELAY_MS),
      requestTimeoutMs: Math.min(options.requestTimeoutMs ?? CHECK_TIMEOUT_MS, CHECK_TIMEOUT_MS),
      codebaseCache: new CodebaseCache(), // always ask companyinfo afresh
    });
  } catch (error) {
    if (isConnectWiseError(error, 'site-not-allowed')) return { outcome: 'site-not-allowed', message: error.message, hint: error.hint };
    throw error;
  }
  // The site's name resolved now: one that points inside is refused before any call (each connection checks again).
  const inside = await (options.destinations ?? new DestinationPolicy()).resolvedProblem(new URL(client.site.origin));
  if (inside) return { outcome: 'site-not-allowed', message: `The ConnectWise site ${inside}` };

  let codebase: string;
  try {
    codebase = await client.codebase();
  } catch (error) {
    if (!isConnectWiseError(error)) throw error;
    if (error.kind === 'unknown-company') {
      return { outcome: 'unknown-company', message: `ConnectWise does not know the company id "${client.companyId}" on ${client.site.host}` };
    }
    if (error.kind === 'network' || error.kind === 'timeout') return unreachable(error, client.site.host);
    if (error.kind === 'site-not-allowed') return { outcome: 'site-not-allowed', message: error.message };
    return unexpected(error);
  }

  let version: string | undefined;
  let isCloud: boolean | undefined;
  try {
    const info = await client.system.info();
    version = info.version;
    isCloud = info.isCloud;
  } catch (error) {
    if (!isConnectWiseError(error)) throw error;
    if (error.kind === 'unauthorized') {
      return { outcome: 'invalid-keys', message: 'ConnectWise rejected the public/private key pair for this company' };
    }
    if (error.kind === 'network' || error.kind === 'timeout') return unreachable(error, client.site.host);
    return unexpected(error);
  }

  try {
    const missing = missingPermissions(await client.system.mySecurity());
    if (missing.length > 0) {
      const labels = [...new Set(missing.map((m) => `${m.label} (${m.action})`))].join(', ');
      return { outcome: 'missing-permissions', message: `The API member's security role lacks: ${labels}`, missing };
    }
  } catch (error) {
    if (!isConnectWiseError(error)) throw error;
    return unexpected(error);
  }

  let memberIdentifier: string | undefined;
  try {
    memberIdentifier = (await client.system.myMember()).identifier;
  } catch {
    // optional detail: the check already passed
  }
  return { outcome: 'ok', version, codebase, isCloud, memberIdentifier };
}

function unreachable(error: ConnectWiseError, host: string): CredentialCheck {
  const reason =
    error.kind === 'timeout'
      ? 'timeout'
      : error.networkCode === 'ENOTFOUND' || error.networkCode === 'EAI_AGAIN'
        ? 'dns'
        : error.networkCode === 'ECONNREFUSED'
          ? 'refused'
          : 'network';
  const words = { timeout: 'did not answer in time', dns: 'cannot be resolved', refused: 'refused the connection', network: 'cannot be reached' }[reason];
  return { outcome: 'site-unreachable', reason, message: `${host} ${words}` };
}

function unexpected(error: ConnectWiseError): CredentialCheck {
  return { outcome: 'error', message: error.message, kind: error.kind, httpStatus: error.status, code: error.code };
}
