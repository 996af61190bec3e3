import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LoggingModule } from '@cwx/observability';
import { Logger } from 'nestjs-pino';
import { ControlModule } from './control/control.module';
import { HealthModule } from './health/health.module';
import { ApiModule } from './http/api.module';
import { SimulatorModule } from './simulator/simulator.module';
import type { Simulator } from './simulator/simulator';

@Module({})
export class AppModule {
  static forRoot(simulator: Simulator, logLevel: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggingModule.forRoot({ service: 'connectwise-sim', level: logLevel }),
        SimulatorModule.forRoot(simulator),
        HealthModule,
        ControlModule,
        ApiModule,
      ],
    };
  }
}

/**
 * The Nest application around a simulator. Body parsing is off: the API handler reads bodies itself
 * (JSON, multipart, and the 415 for the wrong one).
 */
export async function createSimulatorApp(simulator: Simulator, options: { logLevel: string; quiet?: boolean }): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(simulator, options.logLevel), {
    bodyParser: false,
    bufferLogs: !options.quiet,
    logger: options.quiet ? false : undefined,
    forceCloseConnections: true,
  });
  if (!options.quiet) app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
