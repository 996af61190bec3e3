import type { ConnectWiseClient } from '@cwx/connectwise';
import { StoreError } from '../errors';

/** Runs a store call; any failure becomes a `StoreError` (retryable: the job re-reads ConnectWise when redelivered). */
export async function guardStore<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new StoreError(operation, error);
  }
}

/** Counts the HTTP requests a client sends from now on (its own counter; share a client between jobs and the count is shared too). */
export function callCounter(client: ConnectWiseClient): () => number {
  const start = client.stats().total;
  return () => client.stats().total - start;
}
