import { type DynamicModule, Global, Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { MailChannel, WebhookChannel } from './channels';
import { NotificationContent } from './notification-content';
import { NotificationDispatcher } from './notification-dispatcher';
import { GetNotificationSettings, ListNotifications, NotificationSettingsRepository, SaveNotificationSettings } from './notification-settings.use-cases';
import { NotificationTriggers } from './notification-triggers';
import { NotificationsController } from './notifications.controller';
import { GetAccountStatement, SendAccountStatement } from './statement.use-cases';

/**
 * Reports and alerts. Global so that the features whose state changes cause notifications (runs,
 * mapping) inject `NotificationTriggers` and write the rows in their own transactions.
 */
@Global()
@Module({})
export class NotificationsModule {
  static forRoot(options: { dispatcher: boolean }): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [PartnersModule],
      controllers: [NotificationsController],
      providers: [
        NotificationTriggers,
        NotificationSettingsRepository,
        GetNotificationSettings,
        SaveNotificationSettings,
        ListNotifications,
        GetAccountStatement,
        SendAccountStatement,
        NotificationContent,
        MailChannel,
        WebhookChannel,
        ...(options.dispatcher ? [NotificationDispatcher] : []),
      ],
      exports: [NotificationTriggers, MailChannel, ...(options.dispatcher ? [NotificationDispatcher] : [])],
    };
  }
}
