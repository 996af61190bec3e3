import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { CORRELATION_HEADER, correlationIdFrom } from './correlation';
import { toSafeError, type SafeError } from './safe-error';

export interface LoggingOptions {
  /** Service name written on every line. */
  service: string;
  level: string;
  /** Where the lines go; default stdout (tests pass a stream to read them back). */
  destination?: DestinationStream;
}

/** Paths pino removes from every log line, wherever a request or response object is logged. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.privateKey',
  '*.password',
  '*.authorization',
];

/** JSON logs with a correlation id per request, echoed in the response header. */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const pinoHttp: PinoHttpOptions = {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const id = correlationIdFrom(req.headers[CORRELATION_HEADER]);
        res.setHeader(CORRELATION_HEADER, id);
        return id;
      },
      customAttributeKeys: { reqId: 'correlationId' },
      serializers: {
        // pino-http runs pino's standard error serializer first and hands us its output, which copies every
        // enumerable property (an axios error's config and Authorization header included); the original
        // error rides along as the non-enumerable `raw`. Reduce the original, once.
        err: (error: unknown) => {
          const original = typeof error === 'object' && error !== null && 'raw' in error ? (error).raw : error;
          return isSafeError(original) ? original : toSafeError(original);
        },
        req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
      autoLogging: { ignore: (req) => /^\/(health|metrics)(\/|$|\?)/.test(req.url ?? '') },
    };
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: options.destination ? [pinoHttp, options.destination] : pinoHttp })],
      exports: [LoggerModule],
    };
  }
}

/** Already reduced (a caller passed `err: toSafeError(e)`): reducing it again would lose the message. */
function isSafeError(value: unknown): value is SafeError {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  const v = value as { type?: unknown; message?: unknown };
  return typeof v.type === 'string' && typeof v.message === 'string';
}

/** Nest's start-up chatter: one line per module and per route (about 60 lines that bury the useful one). */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication', 'NestMicroservice']);

/**
 * The application logger with Nest's start-up chatter dropped at `log` level (warnings and errors from
 * those contexts still pass). The process prints its own banner once it listens.
 */
export class QuietStartLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && START_UP_CONTEXTS.has(context)) return;
    this.inner.log(message, ...optionalParams);
  }
  error(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.error(message, ...optionalParams);
  }
  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.warn(message, ...optionalParams);
  }
  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.debug?.(message, ...optionalParams);
  }
  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.verbose?.(message, ...optionalParams);
  }
  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.fatal?.(message, ...optionalParams);
  }
}
