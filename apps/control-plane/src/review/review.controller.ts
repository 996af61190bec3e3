import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { RunResponseDto } from '../runs/runs.dto';
import { auditCsv, reconciliationCsv } from './review-csv';
import {
  DecideRequestDto,
  DecideResponseDto,
  ReviewChangesPageDto,
  ReviewChangesQueryDto,
  ReconciliationQueryDto,
  ReconciliationResponseDto,
  ReviewPolicyResponseDto,
  SaveReviewPolicyRequestDto,
} from './review.dto';
import { ReconcileAccounts } from './reconciliation.use-case';
import { ReviewPolicyUseCases, ReviewQueueUseCases } from './review.use-cases';

@ApiTags('review')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId/review')
export class ReviewController {
  constructor(
    private readonly policies: ReviewPolicyUseCases,
    private readonly queue: ReviewQueueUseCases,
    private readonly reconcile: ReconcileAccounts,
  ) {}

  @Get('policy')
  @ApiOperation({ summary: 'Which changes apply by themselves and which wait for a person; nothing waits until a policy is saved.' })
  @ApiOkResponse({ type: ReviewPolicyResponseDto })
  getPolicy(@Param('partnerId') partnerId: string): Promise<ReviewPolicyResponseDto> {
    return this.policies.get(partnerId);
  }

  @Put('policy')
  @ApiOperation({
    summary: 'Save the review policy: a preset (recommended, nothing-waits, everything-waits) and/or each class, the price threshold, edits made in ConnectWise, dating.',
    description: 'Send the `version` last read once a policy exists; a stale version gets 409 `version_mismatch`.',
  })
  @ApiOkResponse({ type: ReviewPolicyResponseDto })
  savePolicy(@Param('partnerId') partnerId: string, @Body() body: SaveReviewPolicyRequestDto, @Req() request: Request): Promise<ReviewPolicyResponseDto> {
    return this.policies.save(partnerId, actorOf(request), body);
  }

  @Get('changes')
  @ApiOperation({ summary: 'The queue: changes by status (pending by default), oldest waiting first, filtered by account, class or SKU, with totals over every match.' })
  @ApiOkResponse({ type: ReviewChangesPageDto })
  async changes(@Param('partnerId') partnerId: string, @Query() query: ReviewChangesQueryDto, @Res() res: Response): Promise<void> {
    // The page comes as JSON in UTF-8, built by the database or kept since (see ReviewQueueUseCases.list), with its
    // ETag; Express answers 304 to a request that holds it.
    const page = await this.queue.list(partnerId, query);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('ETag', page.etag);
    res.send(page.body);
  }

  @Post('changes/decisions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve, adjust (quantity, effective date) or dismiss pending changes, one or many.',
    description: 'Approved changes are written by the next run, or at once by `POST …/review/apply`. A dismissed change stays out of the queue until the platform value changes again. Every decision is kept (audit trail).',
  })
  @ApiOkResponse({ type: DecideResponseDto })
  decide(@Param('partnerId') partnerId: string, @Body() body: DecideRequestDto, @Req() request: Request): Promise<DecideResponseDto> {
    return this.queue.decide(partnerId, actorOf(request), body);
  }

  @Post('apply')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a run of the approved changes only (the accounts that have some), through the workers as any run: throttled and logged.' })
  @ApiOkResponse({ type: RunResponseDto })
  apply(@Param('partnerId') partnerId: string): Promise<RunResponseDto> {
    return this.queue.applyApproved(partnerId);
  }

  @Get('reconciliation')
  @ApiOperation({
    summary: "Per account and line: the platform's quantity and price, ConnectWise's, and the difference; accounts that differ first.",
    description: 'Read live without an export: one ConnectWise call per account, through the partner’s client. A window of `limit` accounts (by name) from `offset`, or one `accountId`.',
  })
  @ApiOkResponse({ type: ReconciliationResponseDto })
  reconciliation(@Param('partnerId') partnerId: string, @Query() query: ReconciliationQueryDto): Promise<ReconciliationResponseDto> {
    return this.reconcile.execute(partnerId, query);
  }

  @Get('reconciliation.csv')
  @ApiOperation({ summary: 'The reconciliation view as CSV: one line per account and SKU, accounts that differ first.' })
  @ApiProduces('text/csv')
  async reconciliationAsCsv(@Param('partnerId') partnerId: string, @Query() query: ReconciliationQueryDto, @Res() res: Response): Promise<void> {
    const view = await this.reconcile.execute(partnerId, query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="reconciliation.csv"');
    res.send(reconciliationCsv(view));
  }

  @Get('decisions.csv')
  @ApiOperation({ summary: 'The audit trail as CSV: every decision (approve, adjust, dismiss, applied by a run) with who, when and what, newest first.' })
  @ApiProduces('text/csv')
  decisionsCsv(@Param('partnerId') partnerId: string, @Res() res: Response): void {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="review-decisions.csv"');
    Readable.from(auditCsv(this.queue.decisions(partnerId))).pipe(res);
  }
}

function actorOf(request: Request): string {
  const principal = (request as Request & { principal?: Principal }).principal;
  if (!principal) return 'unknown';
  return principal.kind === 'operator' ? `operator:${principal.subject}` : principal.subject;
}
