import {
  MESSAGE_TYPES,
  QUEUE_MESSAGE_TYPES,
  QueueName,
  RESULT_ERROR_KINDS,
  ResultErrorKind,
  messageIdFor,
  queueCarries,
  type AccountCompleted,
} from './contracts';
import { payloadProblem } from './payload-schemas';

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
    expect(messageIdFor.catalogJob('run-7')).toBe('catalog:run-7');
    expect(messageIdFor.accountJob('run-7', 'a-9')).toBe('run-7:a-9');
    expect(messageIdFor.catalogResult('run-7')).toBe('result:catalog:run-7');
    expect(messageIdFor.accountResult('run-7', 'a-9')).toBe('result:run-7:a-9');
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

  it('keeps the error kinds the export log stores (renaming one orphans the rows written with it)', () => {
    expect(RESULT_ERROR_KINDS).toEqual([
      'unauthorized', 'forbidden', 'not-found', 'invalid', 'object-exists', 'conflict', 'throttled', 'server', 'network', 'timeout',
      'unexpected-response', 'site-not-allowed', 'unknown-company', 'platform-not-found', 'platform-unavailable', 'platform-unauthorized',
      'platform-rejected', 'platform-invalid-data', 'store', 'settings', 'invalid-input', 'mapping-changed', 'run-stopped', 'not-mapped',
      'dead_letter',
    ]);
    expect(ResultErrorKind.DeadLetter).toBe('dead_letter');
  });

  it('accepts a result whose error has a declared kind, and refuses any other kind', () => {
    const failed = (kind: string): AccountCompleted =>
      ({
        runId: 'run-7', partnerId: 'p-1', accountId: 'a-9', accountName: 'Acme', status: 'failed', operations: [], warnings: [], attempts: 1,
        error: { kind, message: 'no', status: 401 },
      }) as AccountCompleted;
    for (const kind of RESULT_ERROR_KINDS) expect(payloadProblem('account.completed', failed(kind))).toBeUndefined();
    expect(payloadProblem('account.completed', failed('Unauthorized'))).toBe('error.kind: invalid_value');
    expect(payloadProblem('catalog.completed', { runId: 'r', partnerId: 'p', status: 'failed', catalog: [], operations: [], attempts: 1, error: { kind: 'oops', message: 'x' } })).toBe(
      'error.kind: invalid_value',
    );
  });
});
