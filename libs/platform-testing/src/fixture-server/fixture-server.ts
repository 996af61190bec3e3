import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { paginate, PlatformError, PlatformErrorCode, PlatformFolderStore, PlatformNotFoundError } from '@cwx/platform';

/**
 * A stand-in for the platform's HTTP API (openapi/platform-api.json) serving a data folder: for local
 * mode, demos and the HTTP adapter's tests. Answers GET only and wants `Authorization: Bearer <token>`.
 */
export interface FixtureServerOptions {
  token: string;
}

type Route = (store: PlatformFolderStore, params: string[], query: URLSearchParams) => Promise<unknown>;

const ROUTES: [RegExp, Route][] = [
  [/^\/partners\/([^/]+)$/, (s, [p]) => s.readPartner(p)],
  [
    /^\/partners\/([^/]+)\/accounts$/,
    async (s, [p], q) =>
      paginate((await s.readAccounts(p)).sorted, { page: intParam(q, 'page'), pageSize: intParam(q, 'pageSize') }, (a) => a),
  ],
  [/^\/partners\/([^/]+)\/skus$/, (s, [p]) => s.readSkus(p)],
  [
    /^\/partners\/([^/]+)\/retail-prices$/,
    async (s, [p]) => ({ currency: (await s.readPartner(p)).currency, items: (await s.readRetailPrices(p)).items }),
  ],
  [/^\/partners\/([^/]+)\/accounts\/([^/]+)\/subscriptions$/, async (s, [p, a]) => ({ items: (await s.readAccount(p, a)).subscriptions })],
  [/^\/partners\/([^/]+)\/accounts\/([^/]+)\/users$/, async (s, [p, a]) => ({ items: (await s.readAccount(p, a)).users })],
];

/** The request handler alone, so a test can wrap it (to inject faults) or mount it elsewhere. */
export function createFixtureHandler(store: PlatformFolderStore, options: FixtureServerOptions): RequestListener {
  const expected = Buffer.from(`Bearer ${options.token}`);
  return (req, res) => {
    void handle(store, expected, req, res);
  };
}

async function handle(store: PlatformFolderStore, expected: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fixture');
  const given = Buffer.from(req.headers.authorization ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return send(res, 401, { code: 'UNAUTHORIZED', message: 'Missing or wrong bearer token' });
  }
  if (req.method !== 'GET') return send(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'Only GET is served' });
  for (const [pattern, route] of ROUTES) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    try {
      const params = match.slice(1).map((segment) => decodeURIComponent(segment));
      return send(res, 200, await route(store, params, url.searchParams));
    } catch (error) {
      return sendError(res, error);
    }
  }
  return send(res, 404, { code: 'NOT_FOUND', message: 'No such path' });
}

function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof PlatformNotFoundError) {
    const code = error.resource === 'partner' ? 'PARTNER_NOT_FOUND' : 'ACCOUNT_NOT_FOUND';
    return send(res, 404, { code, message: error.message });
  }
  if (error instanceof PlatformError && error.code === PlatformErrorCode.RequestRejected) {
    return send(res, 400, { code: 'BAD_REQUEST', message: error.message });
  }
  return send(res, 500, { code: 'INTERNAL', message: 'The platform could not serve this request' });
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  return value === null ? undefined : Number(value);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export interface RunningFixtureServer {
  server: Server;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts the fixture server on `host:port` (port 0: any free port). */
export async function startFixtureServer(
  dataDir: string,
  options: FixtureServerOptions & { host?: string; port?: number },
): Promise<RunningFixtureServer> {
  const server = createServer(createFixtureHandler(new PlatformFolderStore(dataDir), options));
  return listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
}

/** Listens and returns the base URL and a `close()` that also drops kept-alive connections. */
export async function listen(server: Server, host: string, port: number): Promise<RunningFixtureServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
