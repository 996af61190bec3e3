import { ConditionError, compileConditionString } from '../query/conditions';
import { fieldResolver } from '../query/field-resolver';
import { parseFieldList, projectFields } from '../query/fields';
import { parseOrderBy } from '../query/order-by';
import { forwardOnlyLink, navigableLink, parseNavigablePage, parsePageSize } from '../query/paging';
import { buildRecord } from '../resources/normalize';
import { applyPatch } from '../resources/patch';
import { renderRecord } from '../resources/render';
import type { ResourceDef, WriteContext } from '../resources/resource-def';
import type { SimRecord } from '../simulator/state';
import { ApiError } from './api-error';
import { parseJsonBody } from './body';
import { type Reply, type RequestContext, type Route, route } from './context';
import { actionOf, assertAllowed } from './security';

/** The standard routes of a resource: list, create, count, and get/put/patch/delete by id. */
export function resourceRoutes(def: ResourceDef): Route[] {
  const crud = new CrudHandlers(def);
  const allowed = new Set(def.methods);
  const collection = route(def.path, {
    ...(allowed.has('GET') && { GET: (ctx) => crud.list(ctx) }),
    ...(allowed.has('POST') && { POST: (ctx) => crud.create(ctx) }),
  });
  const count = route(`${def.path}/count`, { GET: (ctx) => crud.count(ctx) });
  const item = route(`${def.path}/{id}`, {
    ...(allowed.has('GET') && { GET: (ctx) => crud.get(ctx) }),
    ...(allowed.has('PUT') && { PUT: (ctx) => crud.replace(ctx) }),
    ...(allowed.has('PATCH') && { PATCH: (ctx) => crud.patch(ctx) }),
    ...(allowed.has('DELETE') && { DELETE: (ctx) => crud.remove(ctx) }),
  });
  return def.source ? [collection] : [collection, count, item];
}

/** Generic handlers over one resource definition; other handlers (documents) reuse the list logic. */
export class CrudHandlers {
  readonly resolver;

  constructor(readonly def: ResourceDef) {
    this.resolver = fieldResolver(def.fields);
  }

  list(ctx: RequestContext, rows?: readonly SimRecord[]): Reply {
    this.authorise(ctx);
    const source = rows ?? this.rows(ctx);
    const predicate = this.predicate(ctx);
    const fields = parseFieldList(ctx.query.get('fields') ?? undefined);
    const render = (record: SimRecord) => {
      const rendered = renderRecord(this.def, record, ctx.hrefBase);
      return fields ? projectFields(rendered, fields) : rendered;
    };
    if ((ctx.headers['pagination-type'] as string | undefined)?.toLowerCase() === 'forward-only') {
      if (ctx.query.get('orderBy')) throw ApiError.badRequest('orderBy cannot be used with forward-only pagination.');
      const pageSize = parsePageSize(ctx.query.get('pageSize') ?? undefined);
      const pageId = Number(ctx.query.get('pageId') ?? 0) || 0;
      const page: SimRecord[] = [];
      let more = false;
      for (const record of [...source].sort((a, b) => a.id - b.id)) {
        if (record.id <= pageId || !predicate(record)) continue;
        if (page.length === pageSize) {
          more = true;
          break;
        }
        page.push(record);
      }
      const link = forwardOnlyLink(ctx.selfUrl, pageSize, more ? page[page.length - 1].id : undefined);
      return { status: 200, body: page.map(render), headers: { Link: link } };
    }
    const comparator = parseOrderBy(ctx.query.get('orderBy') ?? undefined, this.resolver);
    const { page, pageSize } = parseNavigablePage(ctx.query);
    const matching = source.filter(predicate);
    if (ctx.query.get('orderBy')) matching.sort(comparator);
    const slice = matching.slice((page - 1) * pageSize, page * pageSize);
    const link = navigableLink(ctx.selfUrl, page, pageSize, matching.length);
    return { status: 200, body: slice.map(render), headers: link ? { Link: link } : {} };
  }

  count(ctx: RequestContext, rows?: readonly SimRecord[]): Reply {
    this.authorise(ctx);
    const predicate = this.predicate(ctx);
    let count = 0;
    for (const record of rows ?? this.rows(ctx)) if (predicate(record)) count++;
    return { status: 200, body: { count } };
  }

  get(ctx: RequestContext): Reply {
    this.authorise(ctx);
    const record = this.find(ctx);
    const rendered = renderRecord(this.def, record, ctx.hrefBase);
    const fields = parseFieldList(ctx.query.get('fields') ?? undefined);
    return { status: 200, body: fields ? projectFields(rendered, fields) : rendered };
  }

  async create(ctx: RequestContext): Promise<Reply> {
    this.authorise(ctx);
    const parentId = this.parentId(ctx);
    const input = parseJsonBody(ctx.req, await ctx.body());
    const record = buildRecord(this.def, input, this.writeContext(ctx, parentId), 'create');
    const stored = ctx.sim.state.insert(this.def.key, record);
    return { status: 201, body: renderRecord(this.def, stored, ctx.hrefBase) };
  }

  async replace(ctx: RequestContext): Promise<Reply> {
    this.authorise(ctx);
    const existing = this.find(ctx);
    const input = parseJsonBody(ctx.req, await ctx.body());
    const record = buildRecord(this.def, input, { ...this.writeContext(ctx, this.parentId(ctx)), existing }, 'replace');
    const stored = ctx.sim.state.replace(this.def.key, { ...record, ...this.hidden(existing), id: existing.id });
    return { status: 200, body: renderRecord(this.def, stored, ctx.hrefBase) };
  }

  async patch(ctx: RequestContext): Promise<Reply> {
    this.authorise(ctx);
    const existing = this.find(ctx);
    const input = parseJsonBody(ctx.req, await ctx.body());
    const record = applyPatch(this.def, existing, input, { ...this.writeContext(ctx, this.parentId(ctx)), existing });
    const stored = ctx.sim.state.replace(this.def.key, { ...record, ...this.hidden(existing), id: existing.id });
    return { status: 200, body: renderRecord(this.def, stored, ctx.hrefBase) };
  }

  remove(ctx: RequestContext): Reply {
    this.authorise(ctx);
    const existing = this.find(ctx);
    // Deleting an agreement removes its additions with it (the simulator's choice; a real server may
    // refuse while the agreement has invoiced additions).
    for (const child of this.def.cascade ?? []) {
      for (const record of ctx.sim.state.list(child, existing.id)) ctx.sim.state.remove(child, record.id);
    }
    ctx.sim.state.remove(this.def.key, existing.id);
    return { status: 204 };
  }

  authorise(ctx: RequestContext): void {
    if (typeof this.def.security === 'object') assertAllowed(ctx.sim.state, ctx.member, this.def.security, actionOf(ctx.method));
  }

  predicate(ctx: RequestContext) {
    try {
      return compileConditionString(ctx.query.get('conditions') ?? undefined, this.resolver);
    } catch (error) {
      if (error instanceof ConditionError) throw ApiError.badRequest(error.message);
      throw error;
    }
  }

  private rows(ctx: RequestContext): readonly SimRecord[] {
    if (this.def.source) return this.def.source({ state: ctx.sim.state, member: ctx.member });
    return ctx.sim.state.list(this.def.key, this.parentId(ctx));
  }

  /** The parent id from the route, after checking the parent exists (404 otherwise). */
  private parentId(ctx: RequestContext): number | undefined {
    const parent = this.def.parent;
    if (!parent) return undefined;
    const id = ctx.params.parentId;
    if (!ctx.sim.state.get(parent.key, id)) throw ApiError.notFound(parent.thing, id);
    return id;
  }

  find(ctx: RequestContext): SimRecord {
    const parentId = this.parentId(ctx);
    const id = ctx.params.id;
    const record = ctx.sim.state.get(this.def.key, id);
    if (!record || (this.def.parent && record[this.def.parent.field] !== parentId)) throw ApiError.notFound(this.def.thing, id);
    return record;
  }

  private writeContext(ctx: RequestContext, parentId: number | undefined): WriteContext {
    return { state: ctx.sim.state, member: ctx.member, now: ctx.now, parentId };
  }

  /** Stored keys that are not resource fields (a document's recordType), kept across updates. */
  private hidden(existing: SimRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(existing)) if (!(key in this.def.fields)) out[key] = value;
    return out;
  }
}
