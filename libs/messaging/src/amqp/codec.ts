import type { ConsumeMessage, Options } from 'amqplib';
import { CORRELATION_HEADER } from '@cwx/observability';
import type { QueueName } from '../contracts';
import { envelopeProblem } from '../envelope';
import type { AnyDelivery, AnyEnvelope, DeadLetterInfo, Envelope } from '../message-bus';
import { logicalQueueName } from '../topology';

export const CONTENT_TYPE = 'application/json';

/**
 * Headers of a deferred message, republished to a wait queue: the deliveries it had before (the broker's
 * x-delivery-count starts again from nothing on the republished copy) and the time it was deferred in all.
 */
export const PRIOR_DELIVERIES_HEADER = 'x-cwx-prior-deliveries';
export const DEFERRED_MS_HEADER = 'x-cwx-deferred-ms';

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
  const deadLetter = deadLetterInfo(headers, queuePrefix);
  const delivery = {
    ...(envelope as Envelope),
    // Quorum queues count failed deliveries in x-delivery-count, absent on the first delivery; a deferred
    // message carries those of its earlier life.
    deliveryCount: count(headers['x-delivery-count']) + count(headers[PRIOR_DELIVERIES_HEADER]) + 1,
    deferredMs: count(headers[DEFERRED_MS_HEADER]),
    redelivered: fields.redelivered,
    queue,
    ...(deadLetter ? { deadLetter } : {}),
  } as AnyDelivery;
  return { delivery };
}

/** The properties of a deferred copy: the original's, with the deferral headers and none of the broker's. */
export function deferredProperties(message: ConsumeMessage, delivery: AnyDelivery, delayMs: number): Options.Publish & { messageId: string } {
  const original = message.properties as { headers?: Record<string, unknown>; timestamp?: unknown; appId?: unknown };
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(original.headers ?? {})) if (!BROKER_HEADERS.test(name)) headers[name] = value;
  headers[PRIOR_DELIVERIES_HEADER] = delivery.deliveryCount - 1;
  headers[DEFERRED_MS_HEADER] = delivery.deferredMs + delayMs;
  return {
    persistent: true,
    mandatory: true,
    messageId: delivery.messageId,
    type: delivery.type,
    contentType: CONTENT_TYPE,
    headers,
    ...(typeof original.timestamp === 'number' ? { timestamp: original.timestamp } : {}),
    ...(typeof original.appId === 'string' ? { appId: original.appId } : {}),
  };
}

/** Set by the broker (redelivery count, dead-letter history): never copied to a republished message. */
const BROKER_HEADERS = /^x-(delivery-count|death|first-death-|last-death-)/;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
}

function deadLetterInfo(headers: Record<string, unknown>, queuePrefix?: string): DeadLetterInfo | undefined {
  // x-death lists the deaths most recent first; a deferred message's expiry from its wait queue is one of
  // them but names none of our queues, so the first entry that does is where the message died.
  const deaths = headers['x-death'];
  if (Array.isArray(deaths)) {
    for (const death of deaths as { queue?: unknown; reason?: unknown }[]) {
      const queue = typeof death.queue === 'string' ? logicalQueueName(death.queue, queuePrefix) : undefined;
      if (queue && typeof death.reason === 'string') return { queue, reason: death.reason };
    }
  }
  const from = headers['x-first-death-queue'];
  const reason = headers['x-first-death-reason'];
  if (typeof from !== 'string' || typeof reason !== 'string') return undefined;
  const queue = logicalQueueName(from, queuePrefix);
  return queue ? { queue, reason } : undefined;
}
