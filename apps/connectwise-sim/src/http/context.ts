import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { HttpMethod } from '../resources/resource-def';
import type { Simulator } from '../simulator/simulator';
import type { SimMember } from '../simulator/state';

/** What a route handler gets: the authenticated member, route params and helpers for URLs and the body. */
export interface RequestContext {
  sim: Simulator;
  member: SimMember;
  method: string;
  params: Readonly<Record<string, number>>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  req: IncomingMessage;
  /** `http://host/<codebase>/apis/3.0/` as requested: the base of `_info` hrefs. */
  hrefBase: string;
  /** This request's URL without the query: the base of `Link` URLs. */
  selfUrl: string;
  /** ISO time of the request (seconds precision). */
  now: string;
  body(): Promise<Buffer>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes (downloads); sent instead of JSON. */
  raw?: Buffer;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  /** e.g. `/finance/agreements/{parentId}/additions/{id}` */
  template: string;
  segments: readonly string[];
  handlers: Partial<Record<HttpMethod, Handler>>;
}

export function route(template: string, handlers: Partial<Record<HttpMethod, Handler>>): Route {
  return { template: `/${template}`, segments: template.split('/'), handlers };
}
