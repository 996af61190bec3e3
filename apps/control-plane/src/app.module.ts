import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { ControlPlaneConfig } from '@cwx/config';
import type { MessageBus } from '@cwx/messaging';
import { LoggingModule } from '@cwx/observability';
import { AuthGuard } from './auth/auth.guard';
import { CoreModule } from './core.module';
import { CredentialsModule } from './credentials/credentials.module';
import { DatabaseModule, databaseOptionsFrom } from './database/database.module';
import { EmbeddedWorkerModule } from './embedded-worker/embedded-worker.module';
import { HealthController } from './health/health.controller';
import { AppErrorFilter } from './http/app-error.filter';
import { IntegrationModule } from './integration/integration.module';
import { MappingModule } from './mapping/mapping.module';
import { MessagingModule } from './messaging/messaging.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PlatformModule } from './platform/platform.module';
import { PreviewModule } from './preview/preview.module';
import { RunsModule } from './runs/runs.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SettingsModule } from './settings/settings.module';

export interface ControlPlaneModuleOptions {
  config: ControlPlaneConfig;
  /** Keep the embedded database in memory (tests, OpenAPI generation). */
  inMemoryDatabase?: boolean;
  /** Tick the daily scheduler (default true; tests drive it by hand). */
  scheduler?: boolean;
  /** The queue: RabbitMQ in fleet mode, in-process in local mode. Its owner closes it after the app. */
  bus: MessageBus;
  /** Run the outbox relay and the result consumer in this process (default true). */
  messaging?: boolean;
  /** Run the export job handlers in this process (local mode); default `config.embeddedWorker`. */
  embeddedWorker?: boolean;
}

@Module({})
export class ControlPlaneModule {
  static forRoot({ config, inMemoryDatabase, scheduler, bus, messaging, embeddedWorker }: ControlPlaneModuleOptions): DynamicModule {
    return {
      module: ControlPlaneModule,
      imports: [
        CoreModule.forRoot(config),
        LoggingModule.forRoot({ service: 'control-plane', level: config.logLevel }),
        DatabaseModule.forRoot(databaseOptionsFrom({ ...config.database, inMemory: inMemoryDatabase })),
        TerminusModule,
        NotificationsModule.forRoot({ dispatcher: messaging ?? true }),
        IntegrationModule,
        CredentialsModule,
        PlatformModule,
        SettingsModule,
        MappingModule,
        RunsModule,
        PreviewModule,
        SchedulerModule.forRoot({ enabled: scheduler ?? config.scheduler }),
        MessagingModule.forRoot({ bus, relay: messaging ?? true, consumer: messaging ?? true }),
        ...((embeddedWorker ?? config.embeddedWorker) ? [EmbeddedWorkerModule] : []),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AppErrorFilter },
      ],
    };
  }
}
