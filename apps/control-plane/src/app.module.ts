import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { ControlPlaneConfig } from '@cwx/config';
import type { MessageBus } from '@cwx/messaging';
import type { DestinationStream } from 'pino';
import type { DestinationPolicy } from '@cwx/outbound';
import { LoggingModule } from '@cwx/observability';
import { AuthGuard } from './auth/auth.guard';
import { ConsoleModule } from './console/console.module';
import { CoreModule } from './core.module';
import { CredentialsModule } from './credentials/credentials.module';
import { DatabaseModule, databaseOptionsFrom } from './database/database.module';
import { EmbeddedWorkerModule } from './embedded-worker/embedded-worker.module';
import { HealthController } from './health/health.controller';
import { AppErrorFilter } from './http/app-error.filter';
import { RateLimitModule, TokenThrottlerGuard } from './http/rate-limit';
import { IntegrationModule } from './integration/integration.module';
import { MappingModule } from './mapping/mapping.module';
import { MetricsController } from './metrics/metrics.controller';
import { StoreGaugesRepository } from './metrics/store-gauges.repository';
import { MessagingModule } from './messaging/messaging.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PlatformModule } from './platform/platform.module';
import { PreviewModule } from './preview/preview.module';
import { ReviewModule } from './review/review.module';
import { RunsModule } from './runs/runs.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SettingsModule } from './settings/settings.module';
import { StatementsModule } from './statements/statements.module';
import { BillingModule } from './billing/billing.module';

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
  /** Where log lines go (default stdout; tests read them back). */
  logDestination?: DestinationStream;
  /** Where outbound calls may go; default from `config.outbound` (tests inject a resolver). */
  destinations?: DestinationPolicy;
}

@Module({})
export class ControlPlaneModule {
  static forRoot({ config, inMemoryDatabase, scheduler, bus, messaging, embeddedWorker, logDestination, destinations }: ControlPlaneModuleOptions): DynamicModule {
    return {
      module: ControlPlaneModule,
      imports: [
        CoreModule.forRoot(config, destinations),
        LoggingModule.forRoot({ service: 'control-plane', level: config.logLevel, ...(logDestination ? { destination: logDestination } : {}) }),
        DatabaseModule.forRoot(databaseOptionsFrom({ ...config.database, inMemory: inMemoryDatabase })),
        TerminusModule,
        RateLimitModule.forRoot(config.http.rateLimit),
        NotificationsModule.forRoot({ dispatcher: messaging ?? true }),
        StatementsModule,
        IntegrationModule,
        CredentialsModule,
        PlatformModule,
        SettingsModule,
        BillingModule,
        MappingModule,
        RunsModule,
        ReviewModule,
        PreviewModule,
        ConsoleModule.forRoot(),
        SchedulerModule.forRoot({ enabled: scheduler ?? config.scheduler }),
        MessagingModule.forRoot({ bus, relay: messaging ?? true, consumer: messaging ?? true }),
        ...((embeddedWorker ?? config.embeddedWorker) ? [EmbeddedWorkerModule] : []),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        StoreGaugesRepository,
        { provide: APP_GUARD, useClass: AuthGuard },
        // After AuthGuard: counts verified tokens only.
        { provide: APP_GUARD, useExisting: TokenThrottlerGuard },
        { provide: APP_FILTER, useClass: AppErrorFilter },
      ],
    };
  }
}
