import { Controller, Get, type MessageEvent, Param, Post, Query, Req, Res, Sse, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { map, type Observable } from 'rxjs';
import { CORRELATION_HEADER } from '@cwx/observability';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { logCsv } from './log-csv';
import { ReadRuns } from './read-runs.use-cases';
import { RunProgress } from './run-progress';
import { LogPageResponseDto, LogQueryDto, PageQueryDto, RunPageResponseDto, RunResponseDto } from './runs.dto';
import { StartRun } from './start-run.use-case';

@ApiTags('runs')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId/runs')
export class RunsController {
  constructor(
    private readonly start: StartRun,
    private readonly read: ReadRuns,
    private readonly progress: RunProgress,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Start export now.',
    description: 'Refused with 409 `run_already_active` while a run is queued or running, `integration_disabled` when disabled.',
  })
  @ApiCreatedResponse({ type: RunResponseDto })
  startNow(@Param('partnerId') partnerId: string, @Req() request: Request): Promise<RunResponseDto> {
    const correlationId = correlationIdOf(request);
    return this.start.execute({ partnerId, trigger: 'manual', correlationId });
  }

  @Get()
  @ApiOperation({ summary: 'Runs, newest first.' })
  @ApiOkResponse({ type: RunPageResponseDto })
  list(@Param('partnerId') partnerId: string, @Query() query: PageQueryDto): Promise<RunPageResponseDto> {
    return this.read.list(partnerId, query.page, query.pageSize);
  }

  @Get(':runId')
  @ApiOperation({ summary: 'One run with its progress (accounts done / total) and counts.' })
  @ApiOkResponse({ type: RunResponseDto })
  get(@Param('partnerId') partnerId: string, @Param('runId') runId: string): Promise<RunResponseDto> {
    return this.read.get(partnerId, runId);
  }

  @Sse(':runId/events')
  @ApiOperation({
    summary: "The run's progress pushed as server-sent events.",
    description:
      'Each `progress` event carries the run as `GET …/runs/{runId}` returns it, sent when it changes; the stream ends after the run reaches its final state. An unknown run ends it with an `error` event.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of `progress` events, each with a RunResponse as data.' })
  events(@Param('partnerId') partnerId: string, @Param('runId') runId: string): Observable<MessageEvent> {
    return this.progress.watch(partnerId, runId).pipe(map((run) => ({ type: 'progress', data: run })));
  }

  @Get(':runId/log')
  @ApiOperation({ summary: "The run's log: the catalog phase, then per account the operations with before and after values, the warnings, or the error." })
  @ApiOkResponse({ type: LogPageResponseDto })
  log(@Param('partnerId') partnerId: string, @Param('runId') runId: string, @Query() query: LogQueryDto): Promise<LogPageResponseDto> {
    return this.read.log(partnerId, runId, query);
  }

  @Get(':runId/log.csv')
  @ApiOperation({ summary: "The log as a CSV download: the catalog phase's line first (without a status filter), then one line per account." })
  @ApiProduces('text/csv')
  async logAsCsv(
    @Param('partnerId') partnerId: string,
    @Param('runId') runId: string,
    @Query() query: LogQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const rows = this.read.logRows(partnerId, runId, query.status);
    const first = await rows.next(); // surfaces a 404 before any byte is sent
    // The catalog phase's line belongs to the whole log, not to a status filter of the accounts.
    const catalog = query.status ? null : await this.read.catalogLog(partnerId, runId);
    async function* all() {
      if (!first.done) yield first.value;
      yield* rows;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="export-log-${runId}.csv"`);
    Readable.from(logCsv(all(), catalog)).pipe(res);
  }
}

function correlationIdOf(request: Request): string | undefined {
  const id = request.headers[CORRELATION_HEADER];
  return typeof id === 'string' ? id : (request as Request & { id?: string }).id;
}
