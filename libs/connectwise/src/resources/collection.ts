import { createSafely, type CreateContext, type Refind } from '../create';
import { ConnectWiseError } from '../errors';
import type { ConnectWiseApi } from '../http/api';
import { count, listAll, paginate, type ListQuery } from '../paging';
import type { PatchOperation } from '../types';

export type CountQuery = Pick<ListQuery, 'conditions' | 'childConditions' | 'customFieldConditions'>;

/** What every resource file builds on: one collection path and the shared API session. */
export interface ResourceContext {
  api: ConnectWiseApi;
  create: CreateContext;
}

/** Read/create/patch helpers for one ConnectWise collection path (`/procurement/catalog`). */
export class Collection<T> {
  constructor(
    private readonly ctx: ResourceContext,
    readonly path: string,
  ) {}

  iterate(query?: ListQuery): AsyncGenerator<T, void, undefined> {
    return paginate<T>(this.ctx.api, this.path, query);
  }

  list(query?: ListQuery): Promise<T[]> {
    return listAll<T>(this.ctx.api, this.path, query);
  }

  count(query?: CountQuery): Promise<number> {
    return count(this.ctx.api, this.path, query);
  }

  /** The first record (lowest id) matching `conditions`, or undefined. */
  async findFirst(conditions: string): Promise<T | undefined> {
    const rows = await this.ctx.api.request<T[]>({
      method: 'GET',
      path: this.path,
      params: { conditions, orderBy: 'id asc', page: 1, pageSize: 1 },
    });
    return Array.isArray(rows.data) ? rows.data[0] : undefined;
  }

  async get(id: number): Promise<T> {
    return (await this.ctx.api.request<T>({ method: 'GET', path: `${this.path}/${checkId(id)}` })).data;
  }

  /** POST that never blindly re-sends: see create.ts. */
  createRecord(body: unknown, refind: Refind<T> | undefined): Promise<T> {
    return createSafely(
      async () => (await this.ctx.api.request<T>({ method: 'POST', path: this.path, data: body })).data,
      refind,
      this.ctx.create,
    );
  }

  /** One PATCH carrying every operation. */
  async patch(id: number, ops: readonly PatchOperation<T>[]): Promise<T> {
    if (ops.length === 0) throw new Error('A ConnectWise PATCH needs at least one operation');
    return (await this.ctx.api.request<T>({ method: 'PATCH', path: `${this.path}/${checkId(id)}`, data: ops })).data;
  }

  async delete(id: number): Promise<void> {
    await this.ctx.api.request<unknown>({ method: 'DELETE', path: `${this.path}/${checkId(id)}` });
  }
}

/** Ids go into URL paths: only positive integers. */
export function checkId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new ConnectWiseError({ kind: 'invalid', message: `Not a ConnectWise record id: ${String(id)}` });
  }
  return id;
}
