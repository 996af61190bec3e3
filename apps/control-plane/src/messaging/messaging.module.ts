import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { MessageBus } from '@cwx/messaging';
import { MappingModule } from '../mapping/mapping.module';
import { RunsModule } from '../runs/runs.module';
import { MESSAGE_BUS } from './message-bus.token';
import { OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './outbox.repository';
import { ResultConsumer } from './result-consumer';

/**
 * The control plane's side of the queue: the outbox relay and the result consumer (its handlers declared
 * with `@OnBusMessage`, consumed through the bus transport that `createControlPlaneApp` connects). The bus
 * itself is created by the entry point (RabbitMQ in fleet mode, in-process in local mode) and closed with
 * the app.
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: { bus: MessageBus; relay: boolean; consumer: boolean }): DynamicModule {
    return {
      module: MessagingModule,
      imports: [RunsModule, MappingModule],
      providers: [
        { provide: MESSAGE_BUS, useValue: options.bus },
        ...(options.relay ? [OutboxRepository, OutboxRelay] : []),
      ],
      controllers: options.consumer ? [ResultConsumer] : [],
      exports: [MESSAGE_BUS],
    };
  }
}
