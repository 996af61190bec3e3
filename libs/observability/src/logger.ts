import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';

/** What a log line says besides its message: ids, counts, `err: toSafeError(e)`. Never payloads or secrets. */
export type LogFields = Record<string, unknown>;

/**
 * The one logger interface of the tree: the fields first, then the message, as pino takes them (and as
 * nestjs-pino passes them on from Nest's logger). Libraries take a `StructuredLogger`; the processes make
 * one with `pinoLogger` (a bare pino instance) or `nestLogger` (through the Nest application's logger).
 */
export interface StructuredLogger {
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

export const SILENT_LOGGER: StructuredLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A pino instance as a `StructuredLogger` (the worker process, the control plane's broker connection). */
export function pinoLogger(logger: PinoLogger): StructuredLogger {
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  };
}

/**
 * Nest's logger for `context` as a `StructuredLogger`. It writes through whatever logger the Nest
 * application uses (nestjs-pino in the apps: the fields land on the line, `context` with them), looked up
 * at each call, so one made before the application exists follows it once it is there.
 */
export function nestLogger(context: string): StructuredLogger {
  const logger = new NestLogger(context);
  return {
    info: (fields, message) => logger.log(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  };
}
