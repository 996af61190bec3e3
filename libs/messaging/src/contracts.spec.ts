import { MESSAGE_TYPES, QUEUE_MESSAGE_TYPES, QueueName, messageIdFor, messageIdOf, queueCarries, type Message } from './contracts';

describe('contracts', () => {
  it('keeps the production queue names (renaming one needs a migration)', () => {
    expect({ ...QueueName }).toEqual({
      ExportCatalog: 'cwx.export.catalog',
      ExportAccount: 'cwx.export.account',
      ExportResults: 'cwx.export.results',
      ExportDeadLetters: 'cwx.export.dead',
    });
  });

  it('derives deterministic ids from the payload', () => {
    const base = { runId: 'run-7', partnerId: 'p-1' };
    const messages: [Message, string][] = [
      [{ type: 'catalog.requested', payload: base }, 'catalog:run-7'],
      [{ type: 'account.requested', payload: { ...base, accountId: 'a-9' } }, 'run-7:a-9'],
      [{ type: 'catalog.completed', payload: { ...base, status: 'succeeded', catalog: [], operations: [], attempts: 1 } }, 'result:catalog:run-7'],
      [
        {
          type: 'account.completed',
          payload: { ...base, accountId: 'a-9', accountName: 'Acme', status: 'unchanged', operations: [], warnings: [], attempts: 1 },
        },
        'result:run-7:a-9',
      ],
    ];
    for (const [message, id] of messages) expect(messageIdOf(message)).toBe(id);
    expect(messageIdFor.accountJob('run-7', 'a-9')).not.toBe(messageIdFor.accountResult('run-7', 'a-9'));
  });

  it('routes each type to exactly one work queue, and every type can be dead-lettered', () => {
    for (const type of MESSAGE_TYPES) {
      const workQueues = Object.values(QueueName).filter((q) => q !== QueueName.ExportDeadLetters && queueCarries(q, type));
      expect(workQueues).toHaveLength(1);
      expect(queueCarries(QueueName.ExportDeadLetters, type)).toBe(true);
    }
    expect(QUEUE_MESSAGE_TYPES[QueueName.ExportResults]).toEqual(['catalog.completed', 'account.completed']);
    expect(queueCarries(QueueName.ExportAccount, 'catalog.requested')).toBe(false);
  });
});
