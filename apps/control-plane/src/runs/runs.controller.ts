import { Controller, Get, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { CORRELATION_HEADER } from '@cwx/observability';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { logCsv } from './log-csv';
import { ReadRuns } from './read-runs.use-cases';
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

  @Get(':runId/log')
  @ApiOperation({ summary: "The run's per-account log: operations with before and after values, or the error." })
  @ApiOkResponse({ type: LogPageResponseDto })
  log(@Param('partnerId') partnerId: string, @Param('runId') runId: string, @Query() query: LogQueryDto): Promise<LogPageResponseDto> {
    return this.read.log(partnerId, runId, query);
  }

  @Get(':runId/log.csv')
  @ApiOperation({ summary: 'The log as a CSV download.' })
  @ApiProduces('text/csv')
  async logAsCsv(
    @Param('partnerId') partnerId: string,
    @Param('runId') runId: string,
    @Query() query: LogQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const rows = this.read.logRows(partnerId, runId, query.status);
    const first = await rows.next(); // surfaces a 404 before any byte is sent
    async function* all() {
      if (!first.done) yield first.value;
      yield* rows;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="export-log-${runId}.csv"`);
    Readable.from(logCsv(all())).pipe(res);
  }
}

function correlationIdOf(request: Request): string | undefined {
  const id = request.headers[CORRELATION_HEADER];
  return typeof id === 'string' ? id : (request as Request & { id?: string }).id;
}
