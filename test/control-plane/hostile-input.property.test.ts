import fc from 'fast-check';
import { SignJWT } from 'jose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { writeFolder } from '@cwx/platform-testing';
import { startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { buildOpenApiDocument } from '../../apps/control-plane/src/bootstrap';
import { operatorToken, partnerToken, startTestControlPlane, TEST_JWT_SECRET, type TestControlPlane } from '../support/control-plane';

/**
 * Every operation of the OpenAPI document (read from the running app, so a new endpoint is covered the day it
 * is added) gets generated hostile requests, class by class; none may be answered with a 5xx, and every
 * refusal carries the uniform error body. The counts per class are printed (RELIABILITY.md quotes them).
 */
const PARTNER = 'msp-hostile';
const RUNS_PER_OPERATION_AND_CLASS = 8;
/** Server-sent events stay open until the run ends: exercised by the runs tests, not here. */
const SKIPPED_PATHS = [/\/events$/];

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
interface Operation {
  method: Method;
  path: string;
  pathParams: string[];
  query: { name: string; type: string }[];
  body?: Record<string, unknown>;
  /** Dotted paths of the body's string and number fields. */
  strings: string[];
  numbers: string[];
}
interface HostileRequest {
  path: Record<string, string>;
  query: Record<string, string>;
  /** Raw JSON text (so that numbers like 1e308 and deep nesting reach the parser as written). */
  body?: string;
  token?: string;
}

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; example?: unknown; allOf?: Schema[]; nullable?: boolean };

/* ---- hostile values ---- */

/** Full Unicode with the characters storage refuses: NUL, lone surrogates, and the usual suspects. */
const hostileText = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800', '\u202e\u0000', '%00', '\\u0000', '..', '../../etc/passwd', "'; drop table partners; --", '%', '_', '\\', '=cmd|/c calc!A1'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.string({ unit: 'binary', maxLength: 10 }), fc.constantFrom('\u0000', '\ud83d', '\ude00'), fc.string({ unit: 'binary', maxLength: 10 })).map(([a, b, c]) => a + b + c),
  fc.string({ unit: 'grapheme', minLength: 200, maxLength: 400 }),
);

/** Numbers beyond every column and a few that are not integers; written as JSON text. */
const hostileNumber = fc.constantFrom('2147483648', '2147483647', '9223372036854775808', '9223372036854775807', '1e308', '-1e308', '-1', '0', '-0', '1.5', '1e-7', '4294967296', '123456789012345678901234567890', '1E400');

/** Odd path ids: traversal, encodings, lengths, Unicode. */
const oddId = fc.oneof(
  fc.constantFrom('..', '.', '%2e%2e', '%2F', 'a%00b', '%00', 'a b', 'x'.repeat(129), 'x'.repeat(5000), '-leading', '%E2%80%AE', '%ED%A0%80', 'null', '0', '00000000-0000-0000-0000-000000000000', 'ünïcödé'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x'))),
);

function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const sign = (claims: Record<string, unknown>, options: { sub?: string | null; exp?: string; secret?: string } = {}) => {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(options.exp ?? '10m');
  if (options.sub !== null) jwt = jwt.setSubject(options.sub ?? 'fuzz-user');
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
};

/** Tokens with wrong claims: each must be refused (401/403/404) or, when harmless, served; never a 5xx. */
async function hostileTokens(): Promise<string[]> {
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'operator' })).toString('base64url')}.`;
  return [
    await sign({ partner_id: '..' }),
    await sign({ partner_id: '.' }),
    await sign({ partner_id: 'a\u0000b' }),
    await sign({ partner_id: '\ud800' }),
    await sign({ partner_id: 'x'.repeat(129) }),
    await sign({ partner_id: 42 }),
    await sign({ partner_id: ['a'] }),
    await sign({ partner_id: { id: PARTNER } }),
    await sign({ partner_id: PARTNER, partner_name: 'N\u0000ame \ud800' }),
    await sign({ partner_id: PARTNER, partner_name: 'n'.repeat(5_000) }),
    await sign({ partner_id: PARTNER }, { sub: null }),
    await sign({ partner_id: PARTNER }, { sub: '\u0000' }),
    await sign({ role: 'admin' }),
    await sign({ role: ['operator'] }),
    await sign({ partner_id: PARTNER }, { exp: '-1h' }),
    await sign({ partner_id: PARTNER }, { secret: 'another-secret-0123456789abcdef0123456789' }),
    none,
    'not-a-jwt',
    'a.b.c',
    '',
  ];
}

/* ---- the operations, from the OpenAPI document ---- */

function operations(document: { paths: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, Schema> } }): Operation[] {
  const schemas = document.components?.schemas ?? {};
  const deref = (s: Schema | undefined): Schema => {
    if (!s) return {};
    if (s.$ref) return deref(schemas[s.$ref.split('/').pop()!]);
    if (s.allOf?.length) return deref(s.allOf[0]);
    return s;
  };
  const sample = (s: Schema | undefined, path: string, strings: string[], numbers: string[], depth = 0): unknown => {
    const schema = deref(s);
    if (schema.example !== undefined && depth > 0 && typeof schema.example !== 'object') return schema.example;
    if (schema.enum?.length) return schema.enum[0];
    switch (schema.type) {
      case 'string':
        strings.push(path);
        return 'x';
      case 'integer':
      case 'number':
        numbers.push(path);
        return 1;
      case 'boolean':
        return false;
      case 'array':
        return depth > 3 ? [] : [sample(schema.items, `${path}.0`, strings, numbers, depth + 1)];
      default: {
        const out: Record<string, unknown> = {};
        for (const [key, child] of Object.entries(schema.properties ?? {})) {
          if (depth > 3) break;
          out[key] = sample(child, path ? `${path}.${key}` : key, strings, numbers, depth + 1);
        }
        return out;
      }
    }
  };
  const result: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (path.startsWith('/health') || path === '/metrics' || SKIPPED_PATHS.some((p) => p.test(path))) continue;
    for (const [method, raw] of Object.entries(item)) {
      const op = raw as { parameters?: { name: string; in: string; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
      const strings: string[] = [];
      const numbers: string[] = [];
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      result.push({
        method: method as Method,
        path,
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, type: deref(p.schema).type ?? 'string' })),
        body: bodySchema ? (sample(bodySchema, '', strings, numbers) as Record<string, unknown>) : undefined,
        strings,
        numbers,
      });
    }
  }
  return result;
}

function setAt(target: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  const keys = dotted.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return copy;
}

/** JSON text of `body` with the value at `dotted` replaced by raw JSON text. */
function withRaw(body: Record<string, unknown>, dotted: string, rawValue: string): string {
  const marker = '__RAW_VALUE_MARKER__';
  return JSON.stringify(setAt(body, dotted, marker)).replace(`"${marker}"`, rawValue);
}

describe('hostile input on every endpoint (property): never a 5xx, always the uniform error body', () => {
  let sim: RunningSimulator;
  let cp: TestControlPlane;
  let dataDir: string;
  let token: string;
  let operator: string;
  let runId: string;
  let ops: Operation[];
  let tokens: string[];
  const counts = new Map<string, { requests: number; fiveXx: number; statuses: Map<number, number> }>();
  const http = () => request(cp.app.getHttpServer());

  beforeAll(async () => {
    sim = await startSimulator();
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-hostile-'));
    await writeFolder(dataDir, PARTNER, {
      'partner.json': { id: PARTNER, name: 'Hostile MSP', currency: 'USD' },
      'skus.json': { items: [{ sku: 'SKU-1', name: 'Seat\u0000 licence', unit: 'user' }] },
      'retail-prices.json': { items: [{ sku: 'SKU-1', price: 10 }] },
      'accounts.json': {
        items: [
          { id: 'acc-1', name: 'Acme\u0000 Corp', status: 'active' },
          { id: 'acc-2', name: 'Globex \ud800', status: 'active' },
          { id: '../acc-3', name: 'Traversal', status: 'active' },
          { id: 'acc-4', name: '\u0000', status: 'active' },
          { id: 'acc-1', name: 'Repeated', status: 'active' },
          { id: 'acc-5', name: 'Fine', status: 'dormant' },
        ],
      },
      'accounts/acc-1.json': { subscriptions: [{ planId: 'p', sku: 'SKU-1', quantity: 3, unitCost: 5 }], users: [] },
    });
    cp = await startTestControlPlane({
      config: { connectwise: { clientId: 'hostile', extraAllowedOrigins: [sim.baseUrl], requestTimeoutMs: 2000, maxRetries: 0, retryMaxDelayMs: 10 }, platform: { kind: 'folder', dataDir } },
    });
    token = await partnerToken(PARTNER);
    operator = await operatorToken();
    const as = (req: request.Test) => req.auth(token, { type: 'bearer' });
    await as(http().put(`/partners/${PARTNER}/integration/credentials`)).send({ site: sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' }).expect(200);
    const settings = { exportMode: 'manual', timeZone: 'UTC', data: { products: true, quantity: true, cost: false, retailPrice: false, usersList: true }, disappearedSku: 'zero', connectwiseDefaults: {} };
    await as(http().put(`/partners/${PARTNER}/integration/settings`)).send(settings).expect(200);
    const accounts = (await as(http().get(`/partners/${PARTNER}/accounts`)).expect(200)).body.items as { accountId: string; version: number }[];
    const version = accounts.find((a) => a.accountId === 'acc-1')!.version;
    await as(http().put(`/partners/${PARTNER}/accounts/acc-1/mapping`)).send({ version, companyId: 2, agreementId: 1 }).expect(200);
    runId = ((await as(http().post(`/partners/${PARTNER}/runs`)).expect(201)).body as { id: string }).id;
    ops = operations(buildOpenApiDocument(cp.app) as unknown as Parameters<typeof operations>[0]);
    // Credentials point at the simulator (the document's example is a real ConnectWise host: a 502 without DNS).
    for (const op of ops) if (op.body && 'site' in op.body) Object.assign(op.body, { site: sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' });
    tokens = await hostileTokens();
  });

  afterAll(async () => {
    const rows = [...counts.entries()].map(([kind, c]) => `${kind}: ${c.requests} requests, ${c.fiveXx} 5xx, statuses ${[...c.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    console.log(`hostile input, ${ops?.length ?? 0} operations:\n${rows.join('\n')}`);
    await cp?.close();
    await sim?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function defaults(op: Operation): HostileRequest {
    const path: Record<string, string> = {};
    for (const name of op.pathParams) path[name] = name === 'partnerId' ? PARTNER : name === 'accountId' ? 'acc-1' : name === 'runId' ? runId : '2';
    return { path, query: {}, body: op.body ? JSON.stringify(op.body) : undefined };
  }

  async function send(kind: string, op: Operation, req: HostileRequest): Promise<void> {
    let url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => req.path[name] ?? 'x');
    const query = Object.entries(req.query)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd'))}`)
      .join('&');
    if (query) url += `?${query}`;
    let test = http()[op.method](url).set('authorization', `Bearer ${req.token ?? token}`).timeout(10_000);
    if (req.body !== undefined) test = test.set('content-type', 'application/json').send(req.body);
    const res = await test;
    const entry = counts.get(kind) ?? { requests: 0, fiveXx: 0, statuses: new Map<number, number>() };
    entry.requests += 1;
    entry.statuses.set(res.status, (entry.statuses.get(res.status) ?? 0) + 1);
    counts.set(kind, entry);
    if (res.status >= 500) {
      entry.fiveXx += 1;
      throw new Error(`${kind}: ${op.method.toUpperCase()} ${url.slice(0, 200)} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    if (res.status >= 400) {
      const body = res.body as { statusCode?: unknown; code?: unknown; message?: unknown };
      if (body.statusCode !== res.status || typeof body.code !== 'string' || typeof body.message !== 'string') {
        throw new Error(`${kind}: ${op.method.toUpperCase()} ${op.path} answered ${res.status} without the uniform error body: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    }
  }

  /**
   * One class: for each operation, the given examples (every target with the values that must be refused),
   * then generated requests from `arbitrary(op)` (an operation is skipped when it gives none).
   */
  async function check(kind: string, arbitrary: (op: Operation) => fc.Arbitrary<HostileRequest> | undefined, examples: (op: Operation) => HostileRequest[] = () => []): Promise<void> {
    for (const op of ops) {
      const arb = arbitrary(op);
      if (!arb) continue;
      const given = examples(op).map((e) => [e] as [HostileRequest]);
      // Examples count towards numRuns: every one of them runs, then the generated ones.
      await fc.assert(fc.asyncProperty(arb, (req) => send(kind, op, req)), { numRuns: given.length + RUNS_PER_OPERATION_AND_CLASS, seed: 20261204, endOnFailure: true, examples: given });
    }
  }

  it('full Unicode (NUL, lone surrogates, long text) in every string field, query parameter and key', async () => {
    const targetsOf = (op: Operation) => [...op.strings.map((s) => ({ at: 'body', name: s })), ...op.query.map((q) => ({ at: 'query', name: q.name })), { at: 'key', name: '' }];
    const place = (op: Operation, target: { at: string; name: string }, text: string): HostileRequest => {
      const base = defaults(op);
      if (target.at === 'query') return { ...base, query: { [target.name]: text } };
      const body = op.body ?? {};
      return { ...base, body: target.at === 'key' ? JSON.stringify({ ...body, [text]: 1 }) : JSON.stringify(setAt(body, target.name, text)) };
    };
    await check(
      'unicode text',
      (op) => fc.record({ target: fc.constantFrom(...targetsOf(op)), text: hostileText }).map(({ target, text }) => place(op, target, text)),
      // Every target gets a NUL and a lone surrogate for sure; the generated ones add the rest.
      (op) => targetsOf(op).flatMap((target) => ['a\u0000b', 'x\ud800'].map((text) => place(op, target, text))),
    );
  }, 120_000);

  it('huge and non-integer numbers in every numeric field and query parameter, and `version` everywhere', async () => {
    await check('numbers', (op) => {
      const base = defaults(op);
      const targets = [...op.numbers.map((n) => ({ at: 'body', name: n })), ...op.query.filter((q) => q.type === 'number' || q.type === 'integer').map((q) => ({ at: 'query', name: q.name }))];
      if (op.body && !op.numbers.includes('version')) targets.push({ at: 'body', name: 'version' });
      if (targets.length === 0) return undefined;
      return fc.record({ target: fc.constantFrom(...targets), number: hostileNumber }).map(({ target, number }) =>
        target.at === 'query' ? { ...base, query: { [target.name]: number } } : { ...base, body: withRaw(op.body ?? {}, target.name, number) },
      );
    });
  }, 120_000);

  it('deep nesting (tens of thousands of levels) in a known field, an unknown field and the whole body', async () => {
    await check('deep nesting', (op) => {
      if (!op.body) return undefined;
      const base = defaults(op);
      const fields = [...Object.keys(op.body), 'unknownField'];
      return fc
        .record({ field: fc.constantFrom(...fields, '(body)'), depth: fc.oneof(fc.constantFrom(33, 1000, 20_000, 40_000), fc.integer({ min: 33, max: 5000 })), kind: fc.constantFrom('array' as const, 'object' as const) })
        .map(({ field, depth, kind }) => ({ ...base, body: field === '(body)' ? deepJson(depth, kind) : withRaw(op.body!, field, deepJson(depth, kind)) }));
    });
  }, 120_000);

  it('unknown and odd ids in every path parameter, as the partner and as an operator', async () => {
    await check('odd ids', (op) => {
      if (op.pathParams.length === 0) return undefined;
      const base = defaults(op);
      return fc.record({ param: fc.constantFrom(...op.pathParams), id: oddId, asOperator: fc.boolean() }).map(({ param, id, asOperator }) => ({
        ...base,
        path: { ...base.path, [param]: id },
        token: asOperator ? operator : token,
      }));
    });
  }, 120_000);

  it('tokens with wrong claims on every operation', async () => {
    await check('token claims', (op) => fc.constantFrom(...tokens).map((t) => ({ ...defaults(op), token: t })));
  }, 120_000);
});
