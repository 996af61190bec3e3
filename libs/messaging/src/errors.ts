/** Errors the transports raise. Each carries a stable `code` so callers can branch without parsing text. */
export class MessagingError extends Error {
  constructor(
    readonly code: MessagingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MessagingError';
  }
}

export enum MessagingErrorCode {
  /** The envelope is not a valid message for that queue (unknown type, bad payload, missing id). */
  InvalidEnvelope = 'MESSAGING_INVALID_ENVELOPE',
  /** The broker refused the message (a nack, e.g. the queue is full and rejects publishes). */
  PublishRejected = 'MESSAGING_PUBLISH_REJECTED',
  /** The broker could not route the message (the queue does not exist). */
  Unroutable = 'MESSAGING_UNROUTABLE',
  /** No confirm within the publish timeout (broker unreachable for that long). */
  PublishTimeout = 'MESSAGING_PUBLISH_TIMEOUT',
  /** The bus is closed. */
  Closed = 'MESSAGING_CLOSED',
  /** Two handlers for one message type on one queue. */
  DuplicateHandler = 'MESSAGING_DUPLICATE_HANDLER',
  /** A consumed queue carries a message type nobody handles. */
  MissingHandler = 'MESSAGING_MISSING_HANDLER',
}
