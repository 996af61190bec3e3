export { CORRELATION_HEADER, correlationIdFrom } from './correlation';
export { toSafeError, type SafeError } from './safe-error';
export { LoggingModule, QuietStartLogger, REDACTED_PATHS, type LoggingOptions } from './logging.module';
export { nestLogger, pinoLogger, SILENT_LOGGER, type LogFields, type StructuredLogger } from './logger';
export { productVersion } from './version';
export { metrics, metricsRegistry, renderMetrics, startProcessMetrics, stopwatch } from './metrics';
export { readinessChecks, type ReadinessDependencies } from './readiness';
