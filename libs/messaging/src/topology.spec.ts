import { QueueName } from './contracts';
import { DEFER_DELAYS_MS, deferDelayFor, logicalQueueName, physicalQueueName, topologyFor } from './topology';

describe('topology', () => {
  it('declares the dead-letter queue first, then work queues that dead-letter into it', () => {
    const [dead, ...rest] = topologyFor();
    const work = rest.filter((q) => q.waitMs === undefined);
    expect(dead).toEqual({ queue: QueueName.ExportDeadLetters, name: 'cwx.export.dead', arguments: { 'x-queue-type': 'quorum', 'x-overflow': 'reject-publish' } });
    expect(work.map((q) => q.name)).toEqual(['cwx.export.catalog', 'cwx.export.account', 'cwx.export.results']);
    for (const queue of work) {
      expect(queue.arguments).toEqual({
        'x-queue-type': 'quorum',
        'x-overflow': 'reject-publish',
        'x-delivery-limit': 5,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': 'cwx.export.dead',
        'x-dead-letter-strategy': 'at-least-once',
      });
    }
  });

  it('declares wait queues for the deferrable jobs: each expires its messages back into its work queue', () => {
    const waits = topologyFor({ queuePrefix: 'p' }).filter((q) => q.waitMs !== undefined);
    expect(waits.map((q) => q.name)).toEqual(
      [QueueName.ExportCatalog, QueueName.ExportAccount].flatMap((queue) => DEFER_DELAYS_MS.map((ms) => `p.${queue}.wait.${ms / 1000}s`)),
    );
    const thirty = waits.find((q) => q.name === 'p.cwx.export.account.wait.30s');
    expect(thirty).toEqual({
      queue: QueueName.ExportAccount,
      name: 'p.cwx.export.account.wait.30s',
      waitMs: 30_000,
      arguments: {
        'x-queue-type': 'quorum',
        'x-overflow': 'reject-publish',
        'x-message-ttl': 30_000,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': 'p.cwx.export.account',
        'x-dead-letter-strategy': 'at-least-once',
      },
    });
  });

  it('a deferral goes to the longest wait not above it, the shortest when none is', () => {
    expect([1, 5_000, 29_700, 30_000, 59_000, 60_000, 3_600_000].map(deferDelayFor)).toEqual([5_000, 5_000, 20_000, 30_000, 30_000, 60_000, 300_000]);
  });

  it('applies the delivery limit, length bound and name prefix', () => {
    const declarations = topologyFor({ deliveryLimit: 0, maxLength: 100, queuePrefix: 'test-1a' });
    const account = declarations.find((q) => q.queue === QueueName.ExportAccount);
    expect(account?.name).toBe('test-1a.cwx.export.account');
    expect(account?.arguments).toMatchObject({ 'x-delivery-limit': 0, 'x-max-length': 100, 'x-dead-letter-routing-key': 'test-1a.cwx.export.dead' });
    expect(() => topologyFor({ deliveryLimit: -1 })).toThrow(RangeError);
    expect(() => topologyFor({ deliveryLimit: 1.5 })).toThrow(RangeError);
  });

  it('maps physical names back to queues', () => {
    expect(physicalQueueName(QueueName.ExportResults)).toBe('cwx.export.results');
    expect(logicalQueueName('test-1a.cwx.export.account', 'test-1a')).toBe(QueueName.ExportAccount);
    expect(logicalQueueName('cwx.export.account', 'test-1a')).toBeUndefined();
    expect(logicalQueueName('other.queue')).toBeUndefined();
  });
});
