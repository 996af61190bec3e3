export interface ReconnectOptions {
  /** First delay after a connection loss. Default 100 ms. */
  initialDelayMs?: number;
  /** Delays grow by `factor` up to this. Default 5 000 ms. */
  maxDelayMs?: number;
  /** Default 2. */
  factor?: number;
}

/** Exponential backoff with ±20 % jitter, so a fleet does not reconnect in lock-step. `attempt` starts at 1. */
export function backoffDelay(attempt: number, options: ReconnectOptions = {}): number {
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 5_000;
  const base = Math.min(max, initial * (options.factor ?? 2) ** Math.max(0, attempt - 1));
  return Math.round(Math.min(max, base * (0.8 + Math.random() * 0.4)));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
