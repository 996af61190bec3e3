import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { forbiddenNameReason, privateAddressReason } from './addresses';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (the default asks the system resolver, like a socket does). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface DestinationPolicyOptions {
  /**
   * Let calls reach loopback, private, link-local and other non-public addresses. For development and tests
   * only (OUTBOUND_ALLOW_PRIVATE); off by default.
   */
  allowPrivate?: boolean;
  /** How host names are resolved, at save time and for every connection; injectable for tests. */
  resolve?: Resolver;
}

/** A destination the policy refuses; `code` is what a socket error carries. */
export class DestinationRefusedError extends Error {
  readonly code = 'EDESTINATIONREFUSED';

  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefusedError';
  }
}

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });

/**
 * Where the product's own outbound calls (partner webhooks, the ConnectWise site) may go. By default only
 * public addresses: a URL naming a private address or a forbidden name is refused when it is saved
 * (`urlProblem`, `resolvedProblem`), and every connection resolves its host through `lookup`, which checks
 * every address the socket may use, so a name that re-resolves to an inside address (DNS rebinding) is
 * refused at connect time too. Callers never follow redirects.
 */
export class DestinationPolicy {
  readonly allowPrivate: boolean;
  private readonly resolver: Resolver;

  constructor(options: DestinationPolicyOptions = {}) {
    this.allowPrivate = options.allowPrivate ?? false;
    this.resolver = options.resolve ?? systemResolver;
  }

  /** Why the URL's host is refused without resolving it (an address literal, in any spelling the URL parser accepts, or a forbidden name). */
  urlProblem(url: URL): string | undefined {
    if (this.allowPrivate) return undefined;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const reason = isIP(host) ? privateAddressReason(host) : forbiddenNameReason(host);
    return reason ? `must not point to a non-public destination (${host}: ${reason})` : undefined;
  }

  /**
   * `urlProblem`, then the host resolved: refused when any address is non-public. A name that does not
   * resolve now is not refused here (each connection checks again).
   */
  async resolvedProblem(url: URL, timeoutMs = 3000): Promise<string | undefined> {
    const direct = this.urlProblem(url);
    if (direct || this.allowPrivate) return direct;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      const addresses = await Promise.race([this.resolver(host).catch(() => undefined), timeout]);
      const bad = addresses?.map((a) => ({ a, reason: privateAddressReason(a.address) })).find((x) => x.reason);
      return bad ? `must not point to a non-public destination (${host} resolves to ${bad.a.address}: ${bad.reason})` : undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A `lookup` for sockets: resolves like the system does and fails with DestinationRefusedError on any non-public address. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolver(hostname).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (!this.allowPrivate) {
          for (const a of wanted) {
            const reason = privateAddressReason(a.address);
            if (reason) {
              callback(new DestinationRefusedError(`${hostname} resolves to ${a.address} (${reason}): refused`), '', 4);
              return;
            }
          }
        }
        if (wanted.length === 0) {
          const error = Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          callback(error, '', 4);
          return;
        }
        if (options.all) (callback as unknown as (e: null, all: ResolvedAddress[]) => void)(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };

  /**
   * An agent whose sockets resolve through `lookup`. Keep-alive is safe: a kept socket is one already
   * checked, and every new socket resolves (and is checked) again.
   */
  agentFor(protocol: string, options: { keepAlive?: boolean } = {}): HttpAgent | HttpsAgent {
    const settings = { lookup: this.lookup, keepAlive: options.keepAlive ?? false };
    return protocol === 'https:' ? new HttpsAgent(settings) : new HttpAgent(settings);
  }
}
