import type { ConnectWiseErrorKind } from '../errors';

/** How one HTTP attempt ended: `ok` for 2xx, otherwise the error kind it maps to. */
export type AttemptOutcome = 'ok' | ConnectWiseErrorKind;

/** One HTTP attempt (each retry is its own event). Carries no credentials and no query string. */
export interface RequestEvent {
  method: string;
  /** `/procurement/catalog` or `/login/companyinfo/…`, without the codebase or query. */
  path: string;
  status?: number;
  outcome: AttemptOutcome;
  durationMs: number;
  /** 0 for the first attempt, n for the n-th retry. */
  retry: number;
}

export interface RequestStats {
  /** Every attempt sent, retries included. */
  total: number;
  /** Attempts per `METHOD outcome`, e.g. `{ 'GET ok': 12, 'POST throttled': 1 }`. */
  byMethodAndOutcome: Record<string, number>;
  /** Retries scheduled (a subset of `total`). */
  retries: number;
  /** 429 answers, and the wait they asked for in total. */
  throttled: number;
  throttledWaitMs: number;
  /** Creates that were re-read after an ambiguous failure, and how many of those found the record. */
  refinds: number;
  refindHits: number;
}

export class RequestCounter {
  private data: RequestStats = RequestCounter.empty();

  private static empty(): RequestStats {
    return { total: 0, byMethodAndOutcome: {}, retries: 0, throttled: 0, throttledWaitMs: 0, refinds: 0, refindHits: 0 };
  }

  attempt(event: RequestEvent): void {
    this.data.total += 1;
    const key = `${event.method} ${event.outcome}`;
    this.data.byMethodAndOutcome[key] = (this.data.byMethodAndOutcome[key] ?? 0) + 1;
  }

  retry(): void {
    this.data.retries += 1;
  }

  throttle(waitMs: number): void {
    this.data.throttled += 1;
    this.data.throttledWaitMs += waitMs;
  }

  refind(found: boolean): void {
    this.data.refinds += 1;
    if (found) this.data.refindHits += 1;
  }

  snapshot(): RequestStats {
    return { ...this.data, byMethodAndOutcome: { ...this.data.byMethodAndOutcome } };
  }

  reset(): void {
    this.data = RequestCounter.empty();
  }
}
