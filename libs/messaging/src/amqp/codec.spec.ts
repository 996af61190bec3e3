import type { ConsumeMessage } from 'amqplib';
import { QueueName } from '../contracts';
import type { AnyDelivery } from '../message-bus';
import { decode, deferredProperties, encode } from './codec';

const payload = { runId: 'run-1', partnerId: 'p-1', accountId: 'acc-1' };

function raw(body: string, properties: Partial<ConsumeMessage['properties']>, redelivered = false): ConsumeMessage {
  return {
    content: Buffer.from(body),
    fields: { deliveryTag: 1, redelivered, exchange: '', routingKey: 'q', consumerTag: 't' },
    properties: { messageId: 'run-1:acc-1', type: 'account.requested', headers: {}, ...properties },
  } as ConsumeMessage;
}

describe('AMQP codec', () => {
  it('encodes a persistent, mandatory JSON message with the correlation header', () => {
    const { content, properties } = encode({ messageId: 'run-1:acc-1', type: 'account.requested', payload, correlationId: 'c-1' }, 'worker');
    expect(JSON.parse(content.toString())).toEqual(payload);
    expect(properties).toMatchObject({
      persistent: true,
      mandatory: true,
      messageId: 'run-1:acc-1',
      type: 'account.requested',
      contentType: 'application/json',
      appId: 'worker',
      headers: { 'x-correlation-id': 'c-1' },
    });
  });

  it('counts deliveries from the quorum queue header', () => {
    const first = decode(raw(JSON.stringify(payload), {}), QueueName.ExportAccount);
    const third = decode(raw(JSON.stringify(payload), { headers: { 'x-delivery-count': 2, 'x-correlation-id': 'c-1' } }, true), QueueName.ExportAccount);
    expect(first).toEqual({ delivery: { messageId: 'run-1:acc-1', type: 'account.requested', payload, deliveryCount: 1, deferredMs: 0, redelivered: false, queue: QueueName.ExportAccount } });
    expect(third).toMatchObject({ delivery: { deliveryCount: 3, redelivered: true, correlationId: 'c-1' } });
  });

  it('adds the deliveries and deferral time a deferred copy carries; the copy drops the broker headers, keeps the correlation id', () => {
    const again = decode(raw(JSON.stringify(payload), { headers: { 'x-delivery-count': 1, 'x-cwx-prior-deliveries': 2, 'x-cwx-deferred-ms': 30_000 } }), QueueName.ExportAccount);
    expect(again).toMatchObject({ delivery: { deliveryCount: 4, deferredMs: 30_000 } });
    const message = raw(JSON.stringify(payload), { headers: { 'x-delivery-count': 2, 'x-death': [], 'x-first-death-queue': 'q', 'x-correlation-id': 'c-1' } });
    const delivery = (decode(message, QueueName.ExportAccount) as { delivery: AnyDelivery }).delivery;
    expect(deferredProperties(message, delivery, 20_000).headers).toEqual({ 'x-correlation-id': 'c-1', 'x-cwx-prior-deliveries': 2, 'x-cwx-deferred-ms': 20_000 });
  });

  it('names the queue a deferred message died on, not its wait queue', () => {
    const headers: Record<string, unknown> = {
      'x-death': [
        { queue: 'cwx.export.account', reason: 'rejected', count: 1 },
        { queue: 'cwx.export.account.wait.5s', reason: 'expired', count: 1 },
      ],
      'x-first-death-queue': 'cwx.export.account.wait.5s',
      'x-first-death-reason': 'expired',
    };
    expect(decode(raw(JSON.stringify(payload), { headers }), QueueName.ExportDeadLetters)).toMatchObject({
      delivery: { deadLetter: { queue: QueueName.ExportAccount, reason: 'rejected' } },
    });
  });

  it('reads where and why a dead letter died, through the queue prefix', () => {
    const headers = { 'x-first-death-queue': 'test-1.cwx.export.account', 'x-first-death-reason': 'delivery_limit' };
    expect(decode(raw(JSON.stringify(payload), { headers }), QueueName.ExportDeadLetters, 'test-1')).toMatchObject({
      delivery: { deadLetter: { queue: QueueName.ExportAccount, reason: 'delivery_limit' } },
    });
  });

  it('reports malformed JSON, unknown types and missing ids as problems', () => {
    expect(decode(raw('{oops', {}), QueueName.ExportAccount)).toEqual({ problem: 'malformed JSON body', messageId: 'run-1:acc-1' });
    expect(decode(raw('{}', { type: 'nope' }), QueueName.ExportAccount)).toMatchObject({ problem: expect.stringContaining('unknown message type') });
    expect(decode(raw(JSON.stringify(payload), { messageId: undefined }), QueueName.ExportAccount)).toMatchObject({ problem: 'missing messageId' });
  });
});
