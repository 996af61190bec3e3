import { Inject } from '@nestjs/common';

/** The MessageBus (RabbitMQ in fleet mode, in-process in local mode). */
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
export const InjectMessageBus = () => Inject(MESSAGE_BUS);
