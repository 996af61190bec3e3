import { isConnectWiseError } from './errors';
import type { RequestCounter } from './http/stats';
import { backoffDelay, type RetryTiming } from './retry';

/**
 * Looks for the record a create would make (catalog item by identifier, addition by product on the
 * agreement, …). Called when a POST failed in a way that may still have created it.
 */
export type Refind<T> = () => Promise<T | undefined>;

export interface CreateOptions<T> {
  /** Overrides the resource's default re-find; without any, an ambiguous failure is thrown, not re-sent. */
  refind?: Refind<T>;
}

export interface CreateContext {
  counter: RequestCounter;
  /** Re-POSTs allowed after a re-find found nothing. */
  maxRetries: number;
  timing: RetryTiming;
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The POST may have been applied: no answer, a timeout, or a 5xx. (429s were already retried below.) */
function isAmbiguous(error: unknown): boolean {
  return isConnectWiseError(error) && (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'server');
}

/**
 * A create that never sends a blind duplicate. The POST itself is retried by the transport only on 429.
 * On a network error, timeout or 5xx it waits a backoff step (a slow server may still be writing), re-reads
 * with `refind`, returns what it finds, and re-POSTs only when nothing is there. A re-POST answered with
 * ObjectExists is resolved by one more re-find. Without a `refind`, the error is thrown with
 * `outcomeUnknown: true`.
 */
export async function createSafely<T>(post: () => Promise<T>, refind: Refind<T> | undefined, ctx: CreateContext): Promise<T> {
  const sleep = ctx.sleep ?? sleepFor;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await post();
    } catch (error) {
      if (attempt > 1 && refind && isConnectWiseError(error, 'object-exists')) {
        const existing = await refind();
        ctx.counter.refind(existing !== undefined);
        if (existing !== undefined) return existing;
        throw error;
      }
      if (!isAmbiguous(error) || !isConnectWiseError(error)) throw error;
      if (!refind) throw error.withOutcomeUnknown();
      await sleep(backoffDelay(attempt, ctx.timing));
      let found: T | undefined;
      try {
        found = await refind();
      } catch (refindError) {
        // Cannot tell whether the record exists: report the create's failure, flagged.
        if (isConnectWiseError(refindError)) throw error.withOutcomeUnknown();
        throw refindError;
      }
      ctx.counter.refind(found !== undefined);
      if (found !== undefined) return found;
      if (attempt > ctx.maxRetries) throw error;
    }
  }
}
