import { Logger, type LoggerService } from '@nestjs/common';
import pino from 'pino';
import { nestLogger, pinoLogger } from './logger';

describe('StructuredLogger adapters', () => {
  it('pinoLogger writes the fields and the message on one line', () => {
    const lines: string[] = [];
    const logger = pinoLogger(pino({ base: null, timestamp: false }, { write: (line: string) => void lines.push(line) }));
    logger.warn({ runId: 'r-1', attempt: 2 }, 'handing the job back');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ level: 40, runId: 'r-1', attempt: 2, msg: 'handing the job back' }]);
  });

  it("nestLogger writes through the Nest application's logger, fields first and the context last", () => {
    const calls: unknown[][] = [];
    const record = (level: string) => (...args: unknown[]) => void calls.push([level, ...args]);
    const app: LoggerService = { log: record('log'), warn: record('warn'), error: record('error') };
    const logger = nestLogger('RecordRunResults'); // made before the application's logger is set, as class fields are
    Logger.overrideLogger(app);
    try {
      logger.info({ runId: 'r-1' }, 'run closed');
      logger.error({ errorId: 'e-1' }, 'unhandled error');
    } finally {
      Logger.overrideLogger(true);
    }
    expect(calls).toEqual([
      ['log', { runId: 'r-1' }, 'run closed', 'RecordRunResults'],
      ['error', { errorId: 'e-1' }, 'unhandled error', 'RecordRunResults'],
    ]);
  });
});
