import { Injectable } from '@nestjs/common';

/**
 * Tells the outbox relay that rows were just committed, so it publishes them now rather than at its
 * next poll (jobs released one per result would otherwise each wait for the poll interval).
 */
@Injectable()
export class OutboxSignal {
  private readonly listeners = new Set<() => void>();

  onNotify(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
