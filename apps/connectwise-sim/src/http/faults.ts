export interface FaultSettings {
  /** Share (0..1) of API requests answered 500 ConnectWiseApi "A timeout has occured". */
  timeoutRate: number;
  /** Share (0..1) of API requests whose connection is destroyed without an answer. */
  dropRate: number;
  /** Milliseconds added before answering each API request. */
  latencyMs: number;
}

export interface FailNextOptions {
  /** How many matching requests to fail (default 1). */
  count?: number;
  method?: string;
  /** Tested on the URL path without the query. */
  path?: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
}

/** A request held before it is answered, until the test releases it (see `FaultInjector.holdNext`). */
export interface HeldRequest {
  /** Resolves when a matching request arrived and is being held. */
  reached: Promise<void>;
  /** Lets it through (answered as usual, from the state as it is then). */
  release(): void;
}

export type ForcedFault = { kind: 'drop' } | { kind: 'respond'; status: number; body: unknown; headers: Record<string, string> };

export const TIMEOUT_BODY = { code: 'ConnectWiseApi', message: 'A timeout has occured. Please try again.' };

/** Rate-limit body. The guide's example uses the key `error`; `code` is added so both readings work. */
export function tooManyRequestsBody(seconds: number): { code: string; error: string; message: string } {
  const message = `Too many requests. Please try again in ${seconds} seconds.`;
  return { code: 'ConnectWiseAPI', error: 'ConnectWiseAPI', message };
}

/** Random faults from the settings, and deterministic ones queued by tests with failNext. */
export class FaultInjector {
  private settings: FaultSettings;
  private queue: Array<FailNextOptions & { remaining: number }> = [];
  private holds: Array<{ method?: string; path?: RegExp; arrive: () => void; released: Promise<void>; release: () => void }> = [];

  constructor(settings: Partial<FaultSettings> = {}, private readonly random: () => number = Math.random) {
    this.settings = { timeoutRate: 0, dropRate: 0, latencyMs: 0, ...settings };
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  update(settings: Partial<FaultSettings>): void {
    const next = { ...this.settings };
    for (const key of ['timeoutRate', 'dropRate', 'latencyMs'] as const) {
      const value = settings[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${key} must be a number >= 0`);
      if (key !== 'latencyMs' && value > 1) throw new Error(`${key} must be between 0 and 1`);
      next[key] = value;
    }
    this.settings = next;
  }

  failNext(options: FailNextOptions): void {
    if (!options.drop && (!Number.isInteger(options.status) || options.status < 100 || options.status > 599)) {
      throw new Error('failNext needs an HTTP status');
    }
    this.queue.push({ ...options, remaining: options.count ?? 1 });
  }

  clear(): void {
    this.queue = [];
    for (const hold of this.holds.splice(0)) hold.release();
  }

  /**
   * Holds the next request matching method/path before it is answered, until `release()`: a test control
   * (not ConnectWise behaviour) to put something between a client's read and its next call, deterministically.
   */
  holdNext(options: { method?: string; path?: RegExp }): HeldRequest {
    let arrive!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ ...options, arrive, released, release });
    return { reached, release };
  }

  /** Waits while this request is held (consumes the hold); resolves at once for any other. */
  async hold(method: string, path: string): Promise<void> {
    const hold = this.holds.find((h) => (!h.method || h.method.toUpperCase() === method) && (!h.path || ((h.path.lastIndex = 0), h.path.test(path))));
    if (!hold) return;
    this.holds.splice(this.holds.indexOf(hold), 1);
    hold.arrive();
    await hold.released;
  }

  /** The forced or random fault for this request, if any (consumes one failNext use). */
  pick(method: string, path: string): ForcedFault | undefined {
    const rule = this.queue.find(
      (r) => (!r.method || r.method.toUpperCase() === method) && (!r.path || ((r.path.lastIndex = 0), r.path.test(path))),
    );
    if (rule) {
      rule.remaining--;
      if (rule.remaining <= 0) this.queue.splice(this.queue.indexOf(rule), 1);
      if (rule.drop) return { kind: 'drop' };
      const headers = { ...(rule.headers ?? {}) };
      if (rule.status === 429 && !Object.keys(headers).some((h) => h.toLowerCase() === 'retry-after')) headers['Retry-After'] = '1';
      return { kind: 'respond', status: rule.status, body: rule.body ?? defaultBody(rule.status, headers), headers };
    }
    if (this.settings.dropRate > 0 && this.random() < this.settings.dropRate) return { kind: 'drop' };
    if (this.settings.timeoutRate > 0 && this.random() < this.settings.timeoutRate) {
      return { kind: 'respond', status: 500, body: TIMEOUT_BODY, headers: {} };
    }
    return undefined;
  }
}

function defaultBody(status: number, headers: Record<string, string>): unknown {
  if (status === 429) {
    const retry = Object.entries(headers).find(([h]) => h.toLowerCase() === 'retry-after')?.[1] ?? '1';
    return tooManyRequestsBody(Number(retry) || 1);
  }
  if (status >= 500) return TIMEOUT_BODY;
  return { code: 'ConnectWiseApi', message: `Simulated ${status} response.` };
}
