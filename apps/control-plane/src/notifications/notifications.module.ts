import { type DynamicModule, Global, Module } from '@nestjs/common';
import { MappingModule } from '../mapping/mapping.module';
import { PartnersModule } from '../partners/partners.module';
import { ReviewModule } from '../review/review.module';
import { RunsModule } from '../runs/runs.module';
import { SchedulesModule } from '../scheduler/schedules.module';
import { MailChannel, WebhookChannel } from './channels';
import { NotificationContent } from './notification-content';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { GetNotificationSettings, ListNotifications, SaveNotificationSettings } from './notification-settings.use-cases';
import { NotificationsRepository } from './notifications.repository';
import { NotificationTriggers } from './notification-triggers';
import { NotificationsController } from './notifications.controller';

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
      imports: [PartnersModule, SchedulesModule, RunsModule, MappingModule, ReviewModule],
      controllers: [NotificationsController],
      providers: [
        NotificationTriggers,
        NotificationSettingsRepository,
        NotificationsRepository,
        GetNotificationSettings,
        SaveNotificationSettings,
        ListNotifications,
        NotificationContent,
        MailChannel,
        WebhookChannel,
        ...(options.dispatcher ? [NotificationDispatcher] : []),
      ],
      exports: [NotificationTriggers, NotificationsRepository, NotificationSettingsRepository, MailChannel, ...(options.dispatcher ? [NotificationDispatcher] : [])],
    };
  }
}
