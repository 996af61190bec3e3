import { Controller, type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import { OnBusMessage, QueueName, type Delivery, type HandlerOutcome } from '@cwx/messaging';
import { ExportJobHandlers } from './export-job-handlers';

/** The worker's two message handlers: transport input in, the job handlers' outcome out. */
@Controller()
export class ExportJobsController {
  constructor(private readonly handlers: ExportJobHandlers) {}

  @OnBusMessage(QueueName.ExportCatalog, 'catalog.requested')
  catalogRequested(delivery: Delivery<'catalog.requested'>): Promise<HandlerOutcome> {
    return this.handlers.handleCatalog(delivery);
  }

  @OnBusMessage(QueueName.ExportAccount, 'account.requested')
  accountRequested(delivery: Delivery<'account.requested'>): Promise<HandlerOutcome> {
    return this.handlers.handleAccount(delivery);
  }
}

export interface ExportWorkerModuleOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  /** The job handlers on this host's database, bus, platform, budget and lock. */
  useFactory: (...dependencies: never[]) => ExportJobHandlers | Promise<ExportJobHandlers>;
}

/**
 * The export worker, one module for both hosts: the worker process (`apps/export-worker`, RabbitMQ,
 * Redis budget and lock) and local mode (`apps/control-plane`, the in-process bus and in-memory budget).
 * Each host says how to build the job handlers; the handlers are consumed through the bus transport
 * (`BusTransport`, connected by the host as its Nest microservice).
 */
@Module({})
export class ExportWorkerModule {
  static forRootAsync(options: ExportWorkerModuleOptions): DynamicModule {
    return {
      module: ExportWorkerModule,
      imports: options.imports ?? [],
      controllers: [ExportJobsController],
      providers: [{ provide: ExportJobHandlers, inject: options.inject ?? [], useFactory: options.useFactory }],
    };
  }
}
