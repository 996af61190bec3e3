import type { ConsumeMessage, Options } from 'amqplib';
import { CORRELATION_HEADER } from '@cwx/observability';
import type { QueueName } from '../contracts';
import { envelopeProblem } from '../envelope';
import type { AnyDelivery, AnyEnvelope, DeadLetterInfo, Envelope } from '../message-bus';
import { logicalQueueName } from '../topology';

export const CONTENT_TYPE = 'application/json';

/** The body (the payload as JSON) and the properties of a message on the wire. */
export function encode(envelope: AnyEnvelope, appId?: string): { content: Buffer; properties: Options.Publish } {
  const headers: Record<string, string> = {};
  if (envelope.correlationId !== undefined) headers[CORRELATION_HEADER] = envelope.correlationId;
  return {
    content: Buffer.from(JSON.stringify(envelope.payload)),
    properties: {
      persistent: true,
      mandatory: true,
      messageId: envelope.messageId,
      type: envelope.type,
      contentType: CONTENT_TYPE,
      timestamp: Math.floor(Date.now() / 1000),
      headers,
      ...(appId ? { appId } : {}),
    },
  };
}

export type Decoded = { delivery: AnyDelivery } | { problem: string; messageId?: string };

/** A delivery from a raw message, or why it is not one (malformed JSON, unknown type, bad payload). */
export function decode(message: ConsumeMessage, queue: QueueName, queuePrefix?: string): Decoded {
  const { properties, fields, content } = message;
  const headers = (properties.headers ?? {}) as Record<string, unknown>;
  const messageId = typeof properties.messageId === 'string' ? properties.messageId : undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(content.toString('utf8'));
  } catch {
    return { problem: 'malformed JSON body', messageId };
  }
  const correlation = headers[CORRELATION_HEADER];
  const envelope: Partial<Envelope> = {
    messageId,
    type: properties.type as Envelope['type'],
    payload: payload as Envelope['payload'],
    ...(typeof correlation === 'string' ? { correlationId: correlation } : {}),
  };
  const problem = envelopeProblem(queue, envelope);
  if (problem !== undefined) return { problem, messageId };
  const previous = headers['x-delivery-count'];
  const deadLetter = deadLetterInfo(headers, queuePrefix);
  const delivery = {
    ...(envelope as Envelope),
    // Quorum queues count failed deliveries in x-delivery-count, absent on the first delivery.
    deliveryCount: (typeof previous === 'number' ? previous : 0) + 1,
    redelivered: fields.redelivered,
    queue,
    ...(deadLetter ? { deadLetter } : {}),
  } as AnyDelivery;
  return { delivery };
}

function deadLetterInfo(headers: Record<string, unknown>, queuePrefix?: string): DeadLetterInfo | undefined {
  const from = headers['x-first-death-queue'];
  const reason = headers['x-first-death-reason'];
  if (typeof from !== 'string' || typeof reason !== 'string') return undefined;
  const queue = logicalQueueName(from, queuePrefix);
  return queue ? { queue, reason } : undefined;
}
