import { QueueName } from './contracts';
import { checkedEnvelope, envelopeProblem } from './envelope';
import type { Envelope } from './message-bus';

const job: Envelope<'account.requested'> = {
  messageId: 'run-1:acc-1',
  type: 'account.requested',
  payload: { runId: 'run-1', partnerId: 'p-1', accountId: 'acc-1' },
};

describe('envelopes', () => {
  it('accepts a valid message, extra payload fields included', () => {
    expect(envelopeProblem(QueueName.ExportAccount, job)).toBeUndefined();
    expect(envelopeProblem(QueueName.ExportAccount, { ...job, payload: { ...job.payload, newField: 1 } as never })).toBeUndefined();
    expect(envelopeProblem(QueueName.ExportDeadLetters, job)).toBeUndefined();
  });

  it.each([
    ['no id', { ...job, messageId: '' }, 'missing messageId'],
    ['an id over 255 bytes', { ...job, messageId: 'x'.repeat(256) }, 'longer than 255'],
    ['an unknown type', { ...job, type: 'account.exploded' }, 'unknown message type'],
    ['a type the queue does not carry', { ...job, type: 'catalog.requested' }, 'does not carry'],
    ['a missing field', { ...job, payload: { runId: 'r', partnerId: 'p' } }, 'accountId'],
    ['a non-string correlation id', { ...job, correlationId: 42 }, 'correlationId'],
  ])('rejects %s', (_case, envelope, problem) => {
    expect(envelopeProblem(QueueName.ExportAccount, envelope as unknown as Envelope)).toContain(problem);
  });

  it('names the faulty field, never its value', () => {
    const result = {
      messageId: 'result:run-1:acc-1',
      type: 'account.completed',
      payload: { runId: 'run-1', partnerId: 'p', accountId: 'a', accountName: 'n', status: 'changed', operations: [], warnings: [], attempts: 'VALUE-42' },
    } as unknown as Envelope;
    const problem = envelopeProblem(QueueName.ExportResults, result);
    expect(problem).toContain('attempts');
    expect(problem).not.toContain('VALUE-42');
  });

  it('publishes a JSON-clean copy, as a consumer will see it on either transport', () => {
    const withDate = { ...job, payload: { ...job.payload, at: new Date(0), gone: undefined } as never };
    const copy = checkedEnvelope(QueueName.ExportAccount, withDate);
    expect(copy.payload).toEqual({ ...job.payload, at: '1970-01-01T00:00:00.000Z' });
    expect(copy.payload).not.toBe(withDate.payload);
    expect(() => checkedEnvelope(QueueName.ExportCatalog, job)).toThrow(/Refusing to publish run-1:acc-1/);
  });
});
