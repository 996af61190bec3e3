import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { ControlPlaneConfig } from '@cwx/config';
import { LoggingModule } from '@cwx/observability';
import { CredentialsCipher } from '@cwx/persistence';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { CONTROL_PLANE_CONFIG } from './config.token';
import { DatabaseModule, databaseOptionsFrom } from './database/database.module';
import { HealthController } from './health/health.controller';
import { AppErrorFilter } from './http/app-error.filter';
import { IntegrationModule } from './integration/integration.module';

export interface ControlPlaneModuleOptions {
  config: ControlPlaneConfig;
  /** Keep the embedded database in memory (tests, OpenAPI generation). */
  inMemoryDatabase?: boolean;
}

@Module({})
export class ControlPlaneModule {
  static forRoot({ config, inMemoryDatabase }: ControlPlaneModuleOptions): DynamicModule {
    return {
      module: ControlPlaneModule,
      imports: [
        LoggingModule.forRoot({ service: 'control-plane', level: config.logLevel }),
        DatabaseModule.forRoot(databaseOptionsFrom({ ...config.database, inMemory: inMemoryDatabase })),
        TerminusModule,
        IntegrationModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: CONTROL_PLANE_CONFIG, useValue: config },
        { provide: TokenVerifier, useFactory: () => new TokenVerifier(config.auth) },
        { provide: CredentialsCipher, useFactory: () => new CredentialsCipher(config.encryption.keys, config.encryption.activeKeyId) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AppErrorFilter },
      ],
    };
  }
}
