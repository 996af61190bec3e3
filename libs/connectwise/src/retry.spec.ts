import { backoffDelay, isIdempotentMethod, parseRetryAfter, retryDelay, shouldRetry } from './retry';

const timing = { baseDelayMs: 100, maxDelayMs: 2_000 };

describe('shouldRetry', () => {
  it('retries a 429 for every method, POST included', () => {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) expect(shouldRetry({ method, status: 429 })).toBe(true);
  });

  it('retries 5xx and transient network failures only for idempotent methods', () => {
    expect(shouldRetry({ method: 'GET', status: 500 })).toBe(true);
    expect(shouldRetry({ method: 'PATCH', status: 503 })).toBe(true);
    expect(shouldRetry({ method: 'GET', networkCode: 'ECONNRESET' })).toBe(true);
    expect(shouldRetry({ method: 'DELETE', networkCode: 'ETIMEDOUT' })).toBe(true);
    expect(shouldRetry({ method: 'POST', status: 500 })).toBe(false);
    expect(shouldRetry({ method: 'POST', networkCode: 'ECONNRESET' })).toBe(false);
    expect(shouldRetry({ method: 'POST', networkCode: 'ETIMEDOUT' })).toBe(false);
  });

  it('never retries client errors, DNS misses, 501 or a conversion failure', () => {
    for (const status of [400, 401, 403, 404, 409, 415]) expect(shouldRetry({ method: 'GET', status })).toBe(false);
    expect(shouldRetry({ method: 'GET', networkCode: 'ENOTFOUND' })).toBe(false);
    expect(shouldRetry({ method: 'GET', networkCode: 'ERR_CANCELED' })).toBe(false);
    expect(shouldRetry({ method: 'GET', status: 501 })).toBe(false);
    expect(shouldRetry({ method: 'PATCH', status: 500, conversionFailure: true })).toBe(false);
  });

  it('knows the idempotent methods', () => {
    expect(['get', 'PUT', 'patch', 'DELETE'].every(isIdempotentMethod)).toBe(true);
    expect(isIdempotentMethod('POST')).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles per retry with the upper half random, and is capped', () => {
    expect(backoffDelay(1, timing, () => 0)).toBe(50);
    expect(backoffDelay(1, timing, () => 1)).toBe(100);
    expect(backoffDelay(2, timing, () => 0)).toBe(100);
    expect(backoffDelay(3, timing, () => 1)).toBe(400);
    expect(backoffDelay(10, timing, () => 1)).toBe(2_000);
    expect(backoffDelay(10, timing, () => 0)).toBe(1_000);
  });

  it('stays within [ceiling/2, ceiling] for random draws', () => {
    for (let i = 0; i < 200; i += 1) {
      const d = backoffDelay(4, timing);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30_000);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter('1.5')).toBe(1_500);
    expect(parseRetryAfter(['2'])).toBe(2_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or malformed values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('honours Retry-After up to the cap, else backs off', () => {
    expect(retryDelay(1, 1_000, timing)).toBe(1_000);
    expect(retryDelay(1, 30_000, timing)).toBe(2_000);
    expect(retryDelay(2, undefined, timing, () => 1)).toBe(200);
  });
});
