/** One API call as the simulator saw it. */
export interface RecordedRequest {
  method: string;
  /** URL path without the query, e.g. `/v4_6_release/apis/3.0/finance/agreements/3/additions`. */
  path: string;
  /** The path under `apis/3.0`, e.g. `/finance/agreements/3/additions` (the full path elsewhere). */
  apiPath: string;
  /** Route template, e.g. `/finance/agreements/{parentId}/additions`, when the path matched one. */
  route?: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** Response status; 0 when the connection was dropped. */
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  /** The `clientId` header as sent (tests give each client process its own to tell them apart). */
  clientId?: string;
  /** ConnectWise login company and member identifier, once authenticated. */
  company?: string;
  member?: string;
}

export interface RequestFilter {
  method?: string;
  /** A RegExp tested on `path`; a string equal to `path`, `apiPath` or `route` (leading slash optional). */
  path?: RegExp | string;
  /** Alias of a RegExp `path`. */
  pathPattern?: RegExp;
  status?: number;
}

/** The most requests kept in detail (the per-route counts are never truncated). */
const MAX_KEPT = 200_000;

export class RequestRecorder {
  private entries: RecordedRequest[] = [];
  private dropped = 0;
  private readonly byRoute = new Map<string, number>();
  private readonly listeners = new Set<(entry: RecordedRequest) => void>();

  /**
   * Calls `listener` with every request once its answer is sent (or its connection dropped), before the
   * next request is recorded: the moment a fault test kills a client "after the write, before it acted
   * on the answer". Returns the unsubscribe function. A listener that throws is unsubscribed.
   */
  onRecord(listener: (entry: RecordedRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(entry: RecordedRequest): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(entry);
      } catch {
        this.listeners.delete(listener);
      }
    }
    this.entries.push(entry);
    if (this.entries.length > MAX_KEPT) {
      this.entries.splice(0, this.entries.length - MAX_KEPT);
      this.dropped++;
    }
    const key = `${entry.method} ${entry.route ?? entry.apiPath}`;
    this.byRoute.set(key, (this.byRoute.get(key) ?? 0) + 1);
  }

  all(): readonly RecordedRequest[] {
    return this.entries;
  }

  filter(filter: RequestFilter = {}): RecordedRequest[] {
    return this.entries.filter((entry) => matches(entry, filter));
  }

  count(filter: RequestFilter = {}): number {
    let n = 0;
    for (const entry of this.entries) if (matches(entry, filter)) n++;
    return n;
  }

  /** Counts by "METHOD /route/template", e.g. `{"POST /finance/agreements/{parentId}/additions": 12}`. */
  summary(): Record<string, number> {
    return Object.fromEntries([...this.byRoute.entries()].sort((a, b) => a[0].localeCompare(b[0])));
  }

  reset(): void {
    this.entries = [];
    this.dropped = 0;
    this.byRoute.clear();
  }
}

function matches(entry: RecordedRequest, filter: RequestFilter): boolean {
  if (filter.method && entry.method !== filter.method.toUpperCase()) return false;
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  const pattern = filter.pathPattern ?? filter.path;
  if (pattern instanceof RegExp) {
    pattern.lastIndex = 0;
    if (!pattern.test(entry.path)) return false;
  } else if (typeof pattern === 'string') {
    const wanted = pattern.startsWith('/') ? pattern : `/${pattern}`;
    if (entry.path !== wanted && entry.apiPath !== wanted && entry.route !== wanted) return false;
  }
  return true;
}
