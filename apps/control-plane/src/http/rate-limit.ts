import type { OpenAPIObject } from '@nestjs/swagger';
import { type DynamicModule, type ExecutionContext, Injectable, Module } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { AppError, AppErrorCode } from './app-error';
import { ERROR_BODY } from './error-response.dto';
import { FastThrottlerStorage } from './throttler-storage';

/** Requests one bearer token may make: a burst per second and a sustained rate per minute. */
export interface RateLimits {
  perSecond: number;
  perMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perSecond: 50, perMinute: 1200 };

/** The limits as OpenAPI states them (bootstrap.ts). */
export const RATE_LIMITS_NOTE =
  `Rate limits, per bearer token and per replica: ${DEFAULT_RATE_LIMITS.perSecond} requests a second and ${DEFAULT_RATE_LIMITS.perMinute} a minute ` +
  'by default (API_RATE_LIMIT_PER_SECOND, API_RATE_LIMIT_PER_MINUTE). Past either, 429 `rate_limited` with `Retry-After` (seconds); ' +
  'answers carry `X-RateLimit-Limit-<window>` and `X-RateLimit-Remaining-<window>` (window `second` or `minute`). Health and metrics are not limited.';

/** Adds the 429 answer to every operation that needs a token. */
export function documentRateLimits(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const operations = item as Record<string, unknown>;
    if (!path.startsWith('/partners/')) continue; // health and metrics need no token and are not limited
    for (const operation of Object.values(operations) as { responses?: Record<string, unknown> }[]) {
      operation.responses = {
        ...operation.responses,
        '429': {
          description: '`rate_limited`: too many requests for this token; retry after `Retry-After` seconds.',
          headers: { 'Retry-After': { description: 'Seconds to wait before the next request.', schema: { type: 'integer' } } },
          content: ERROR_BODY,
        },
      };
    }
  }
  return document;
}

const TRACKER = Symbol('cwx:rate-limit-tracker');

/**
 * Counts requests per bearer token or console session (a hash of it: the token itself is never kept), across every route,
 * after the token was verified (AuthGuard runs first). Public routes (health) are not counted.
 */
@Injectable()
export class TokenThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    // The bearer token, or (console) the session cookie: whichever authenticated the request. Hashed once per
    // request (each throttler asks), kept on the request only.
    const request = req as unknown as AuthenticatedRequest & { [TRACKER]?: string };
    let tracker = request[TRACKER];
    if (tracker === undefined) {
      const { authorization, cookie } = request.headers;
      tracker = createHash('sha256').update(authorization ?? cookie ?? '').digest('base64url');
      request[TRACKER] = tracker;
    }
    return Promise.resolve(tracker);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(!context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>().principal);
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new AppError(AppErrorCode.RateLimited, `Too many requests for this token; retry in ${seconds} s.`, { retryAfterSeconds: seconds });
  }
}

@Module({})
export class RateLimitModule {
  static forRoot(limits: RateLimits = DEFAULT_RATE_LIMITS): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [
            { name: 'second', ttl: 1000, limit: limits.perSecond },
            { name: 'minute', ttl: 60_000, limit: limits.perMinute },
          ],
          // Same counting as the library's storage, O(1) a request (throttler-storage.ts).
          storage: new FastThrottlerStorage(),
        }),
      ],
      providers: [TokenThrottlerGuard],
      exports: [TokenThrottlerGuard, ThrottlerModule],
    };
  }
}
