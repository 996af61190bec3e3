export {
  QueueName,
  MESSAGE_TYPES,
  QUEUE_NAMES,
  QUEUE_MESSAGE_TYPES,
  isMessageType,
  queueCarries,
  messageIdFor,
  ResultErrorKind,
  RESULT_ERROR_KINDS,
  type AccountCompleted,
  type AccountRequested,
  type AccountStatus,
  type CatalogCompleted,
  type CatalogEntry,
  type CatalogRequested,
  type Message,
  type MessageType,
  type PayloadByType,
  type PayloadOf,
  type ResultError,
  type ResultWarning,
  type TypesOn,
} from './contracts';
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_RETRY_DELAY_MS,
  type AnyDelivery,
  type AnyEnvelope,
  type ConsumeOptions,
  type ConsumerHandle,
  type DeadLetterInfo,
  type Deferral,
  type Delivery,
  type DeliveryBehaviourOptions,
  type Envelope,
  type HandlerOutcome,
  type MessageBus,
  type MessageHandler,
  isDeferral,
} from './message-bus';
export { MessagingError, MessagingErrorCode } from './errors';
export { envelopeProblem } from './envelope';
export { HandlerRegistry, type TypedHandler } from './handler-registry';
export { BUS_TRANSPORT, BusContext, BusTransport, consumerPrefetch, OnBusMessage, type BusPattern, type BusTransportOptions } from './bus-transport';
export {
  DEFAULT_DELIVERY_LIMIT,
  DEFER_DELAYS_MS,
  physicalQueueName,
  topologyFor,
  type QueueDeclaration,
  type TopologyOptions,
} from './topology';
export { InProcessMessageBus, type InProcessMessageBusOptions } from './in-process/in-process-message-bus';
export { AmqpMessageBus, DEFAULT_PUBLISH_TIMEOUT_MS, type AmqpMessageBusOptions } from './amqp/amqp-message-bus';
export type { ReconnectOptions } from './amqp/backoff';
