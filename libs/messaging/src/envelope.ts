import { isMessageType, queueCarries, type QueueName } from './contracts';
import { MessagingError, MessagingErrorCode } from './errors';
import type { AnyEnvelope, Envelope } from './message-bus';
import { payloadProblem } from './payload-schemas';

/** AMQP short strings (message id, type, header values we set) are at most 255 bytes. */
const MAX_ID_BYTES = 255;

/** Why an envelope is not a valid message for `queue`, or undefined when it is. */
export function envelopeProblem(queue: QueueName, envelope: Partial<Envelope> | undefined): string | undefined {
  if (!envelope || typeof envelope !== 'object') return 'not an object';
  const { messageId, type, correlationId } = envelope;
  if (typeof messageId !== 'string' || messageId.length === 0) return 'missing messageId';
  if (Buffer.byteLength(messageId) > MAX_ID_BYTES) return 'messageId longer than 255 bytes';
  if (!isMessageType(type)) return `unknown message type ${JSON.stringify(String(type)).slice(0, 80)}`;
  if (!queueCarries(queue, type)) return `queue ${queue} does not carry ${type}`;
  if (correlationId !== undefined && (typeof correlationId !== 'string' || Buffer.byteLength(correlationId) > MAX_ID_BYTES)) {
    return 'correlationId must be a string of at most 255 bytes';
  }
  const problem = payloadProblem(type, envelope.payload);
  return problem === undefined ? undefined : `invalid ${type} payload: ${problem}`;
}

/**
 * Checks an envelope before publishing and returns a JSON-clean copy of it (what a consumer will see, on
 * either transport). Throws `MessagingError(InvalidEnvelope)` when it is not valid for `queue`.
 */
export function checkedEnvelope(queue: QueueName, envelope: Envelope): AnyEnvelope {
  const problem = envelopeProblem(queue, envelope);
  if (problem !== undefined) {
    throw new MessagingError(MessagingErrorCode.InvalidEnvelope, `Refusing to publish ${envelope?.messageId ?? '?'}: ${problem}`);
  }
  const copy: Envelope = {
    messageId: envelope.messageId,
    type: envelope.type,
    payload: JSON.parse(JSON.stringify(envelope.payload)) as Envelope['payload'],
  };
  if (envelope.correlationId !== undefined) copy.correlationId = envelope.correlationId;
  return copy as AnyEnvelope;
}
