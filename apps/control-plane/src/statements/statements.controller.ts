import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { SendStatementRequestDto, SendStatementResponseDto, StatementQueryDto } from './statements.dto';
import { GetAccountStatement, SendAccountStatement, statementCsv, statementHtml } from './statements.use-cases';

/** Account statements. Documented under the notifications tag, where the API has always listed them. */
@ApiTags('notifications')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId')
export class StatementsController {
  constructor(
    private readonly statement: GetAccountStatement,
    private readonly sendStatement: SendAccountStatement,
  ) {}

  @Get('accounts/:accountId/statement')
  @ApiOperation({ summary: "One account's usage statement (SKUs, quantities, retail prices) as CSV or HTML, read live from the platform." })
  @ApiProduces('text/csv', 'text/html')
  async getStatement(
    @Param('partnerId') partnerId: string,
    @Param('accountId') accountId: string,
    @Query() query: StatementQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const statement = await this.statement.execute({ partnerId, accountId });
    const safeId = accountId.replace(/[^\w.-]/g, '_');
    if (query.format === 'html') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.send(statementHtml(statement));
      return;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="statement-${safeId}.csv"`);
    res.send(statementCsv(statement));
  }

  @Post('accounts/:accountId/statement/send')
  @HttpCode(202)
  @ApiOperation({ summary: "Queue the statement as an e-mail to the customer's billing contact (HTML with the CSV attached)." })
  @ApiAcceptedResponse({ type: SendStatementResponseDto })
  send(
    @Param('partnerId') partnerId: string,
    @Param('accountId') accountId: string,
    @Body() body: SendStatementRequestDto,
  ): Promise<SendStatementResponseDto> {
    return this.sendStatement.execute({ partnerId, accountId, to: body.to });
  }
}
