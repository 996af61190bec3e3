import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { PageQueryDto } from '../runs/runs.dto';
import {
  NotificationPageResponseDto,
  NotificationSettingsResponseDto,
  RotateWebhookSecretRequestDto,
  SaveNotificationSettingsRequestDto,
} from './notifications.dto';
import { GetNotificationSettings, ListNotifications, SaveNotificationSettings } from './notification-settings.use-cases';

@ApiTags('notifications')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId')
export class NotificationsController {
  constructor(
    private readonly get: GetNotificationSettings,
    private readonly save: SaveNotificationSettings,
    private readonly list: ListNotifications,
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
}
