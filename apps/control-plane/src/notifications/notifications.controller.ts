import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { PageQueryDto } from '../runs/runs.dto';
import {
  NotificationPageResponseDto,
  NotificationSettingsResponseDto,
  RotateWebhookSecretRequestDto,
  SaveNotificationSettingsRequestDto,
  SendStatementRequestDto,
  SendStatementResponseDto,
  StatementQueryDto,
} from './notifications.dto';
import { GetNotificationSettings, ListNotifications, SaveNotificationSettings } from './notification-settings.use-cases';
import { GetAccountStatement, SendAccountStatement, statementCsv, statementHtml } from './statement.use-cases';

@ApiTags('notifications')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId')
export class NotificationsController {
  constructor(
    private readonly get: GetNotificationSettings,
    private readonly save: SaveNotificationSettings,
    private readonly list: ListNotifications,
    private readonly statement: GetAccountStatement,
    private readonly sendStatement: SendAccountStatement,
  ) {}

  @Get('integration/notifications')
  @ApiOperation({ summary: 'Reports and alerts: recipients, webhook, events, cadence (defaults with version 0 until first saved).' })
  @ApiOkResponse({ type: NotificationSettingsResponseDto })
  getSettings(@Param('partnerId') partnerId: string): Promise<NotificationSettingsResponseDto> {
    return this.get.execute({ partnerId });
  }

  @Put('integration/notifications')
  @ApiOperation({
    summary: 'Save who hears about what.',
    description:
      'Setting a webhook URL for the first time generates its signing secret, returned once in `webhookSecret` and never again. ' +
      'Deliveries carry `X-Cwx-Timestamp` and `X-Cwx-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. ' +
      'Send the `version` last read once settings exist; a stale version gets 409 `version_mismatch`.',
  })
  @ApiOkResponse({ type: NotificationSettingsResponseDto })
  saveSettings(@Param('partnerId') partnerId: string, @Body() body: SaveNotificationSettingsRequestDto): Promise<NotificationSettingsResponseDto> {
    return this.save.execute({ partnerId, request: body });
  }

  @Post('integration/notifications/webhook-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the webhook secret: the new one is returned once, the old one stops signing at once.' })
  @ApiOkResponse({ type: NotificationSettingsResponseDto })
  rotateSecret(@Param('partnerId') partnerId: string, @Body() body: RotateWebhookSecretRequestDto): Promise<NotificationSettingsResponseDto> {
    return this.save.rotate({ partnerId, version: body.version });
  }

  @Get('integration/notifications/deliveries')
  @ApiOperation({ summary: 'Reports and alerts sent or queued, newest first, with every delivery attempt (status code, error).' })
  @ApiOkResponse({ type: NotificationPageResponseDto })
  deliveries(@Param('partnerId') partnerId: string, @Query() query: PageQueryDto): Promise<NotificationPageResponseDto> {
    return this.list.execute({ partnerId, page: query.page, pageSize: query.pageSize });
  }

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
