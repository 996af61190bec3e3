import { BadRequestException, Controller, Get, HttpCode, Post, Put, Query, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { readBody } from '../http/body';
import type { FailNextOptions, FaultSettings } from '../http/faults';
import type { RecordedRequest } from '../http/recorder';
import { Simulator } from '../simulator/simulator';

interface ConfigChange {
  rateLimitPerMinute?: number;
  faults?: Partial<FaultSettings>;
  codebase?: string;
}

/**
 * `/__sim/*`: control endpoints for other processes (benchmarks, the demo). No authentication: the
 * simulator binds to loopback unless told otherwise.
 */
@Controller('__sim')
export class ControlController {
  constructor(private readonly simulator: Simulator) {}

  /** The request log (newest last), optionally filtered, with counts per method and route template. */
  @Get('requests')
  requests(
    @Query('method') method?: string,
    @Query('path') path?: string,
    @Query('status') status?: string,
    @Query('limit') limit?: string,
  ): { total: number; summary: Record<string, number>; requests: RecordedRequest[] } {
    const recorder = this.simulator.recorder;
    const matching = recorder.filter({
      method,
      path: path ? safeRegExp(path) : undefined,
      status: status ? Number(status) : undefined,
    });
    const max = limit ? Math.max(0, Number(limit)) : 1000;
    return { total: matching.length, summary: recorder.summary(), requests: matching.slice(-max) };
  }

  @Post('requests/reset')
  @HttpCode(204)
  resetRequests(): void {
    this.simulator.recorder.reset();
  }

  @Get('state')
  state(): unknown {
    return { settings: this.simulator.settings(), ...this.simulator.state.snapshot() };
  }

  /** Body: `{"rateLimitPerMinute": 60, "faults": {"timeoutRate": 0.1, "dropRate": 0, "latencyMs": 50}, "codebase": "v2025_2/"}`. */
  @Put('config')
  async config(@Req() req: IncomingMessage): Promise<ReturnType<Simulator['settings']>> {
    const change = await jsonBody<ConfigChange>(req);
    try {
      if (change.rateLimitPerMinute !== undefined) this.simulator.setRateLimit(Number(change.rateLimitPerMinute));
      if (change.faults !== undefined) this.simulator.setFaults(change.faults);
      if (change.codebase !== undefined) this.simulator.setCodebase(change.codebase);
    } catch (error) {
      throw new BadRequestException((error as Error).message);
    }
    return this.simulator.settings();
  }

  /** Body: FailNextOptions with `path` as a regular-expression string. */
  @Post('fail-next')
  @HttpCode(204)
  async failNext(@Req() req: IncomingMessage): Promise<void> {
    const body = await jsonBody<Omit<FailNextOptions, 'path'> & { path?: string }>(req);
    try {
      this.simulator.failNext({ ...body, path: body.path ? safeRegExp(body.path) : undefined });
    } catch (error) {
      throw new BadRequestException((error as Error).message);
    }
  }

  /** Back to the seed data. */
  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.simulator.reset();
  }
}

async function jsonBody<T>(req: IncomingMessage): Promise<T> {
  const text = (await readBody(req)).toString('utf8');
  try {
    const parsed = (text.trim() === '' ? {} : JSON.parse(text)) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as T;
  } catch {
    throw new BadRequestException('The body must be a JSON object.');
  }
}

function safeRegExp(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw new BadRequestException(`Invalid regular expression: ${source}`);
  }
}
