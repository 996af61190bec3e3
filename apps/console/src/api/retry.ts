import type { Middleware } from 'openapi-fetch';

/** How the console waits out the API's burst limit (429 `rate_limited` with `Retry-After` in seconds). */
export interface RetryOn429Options {
  /** Tries in all, the first included (default 3). */
  tries?: number;
  /** The longest single wait, whatever Retry-After says (default 5 s). */
  maxWaitMs?: number;
  /** Waits when Retry-After is missing or unreadable (default 1 s). */
  defaultWaitMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected in tests: sends the request again (default: the global fetch). */
  fetch?: (request: Request) => Promise<Response>;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * An openapi-fetch middleware: a 429 answer is retried after Retry-After (capped at `maxWaitMs`), at most
 * `tries` times in all; the last answer (429 or not) is what the caller gets. The request is cloned before it
 * is sent, so a body can be sent again. Only 429: the API refused the call before doing anything, so a retry is
 * safe for writes too.
 */
export function retryOn429(options: RetryOn429Options = {}): Middleware {
  const tries = Math.max(1, options.tries ?? 3);
  const maxWaitMs = options.maxWaitMs ?? 5000;
  const defaultWaitMs = options.defaultWaitMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const spare = new WeakMap<Request, Request>();
  return {
    onRequest({ request }) {
      spare.set(request, request.clone());
      return undefined;
    },
    async onResponse({ request, response, options: client }) {
      const send = options.fetch ?? ((again: Request) => client.fetch(again));
      let answer = response;
      let template = spare.get(request);
      for (let attempt = 1; answer.status === 429 && attempt < tries && template; attempt++) {
        const wait = Math.min(maxWaitMs, retryAfterMs(answer.headers.get('retry-after')) ?? defaultWaitMs);
        await sleep(wait);
        const again = template;
        template = attempt + 1 < tries ? again.clone() : undefined;
        answer = await send(again);
      }
      return answer;
    },
  };
}
