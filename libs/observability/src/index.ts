export { CORRELATION_HEADER, correlationIdFrom } from './correlation';
export { toSafeError, type SafeError } from './safe-error';
export { LoggingModule, REDACTED_PATHS, type LoggingOptions } from './logging.module';
