import { randomBytes } from 'node:crypto';
import { AmqpMessageBus, type AmqpMessageBusOptions } from '@cwx/messaging';
import { createTestVhost, type TestVhost } from '../support/rabbitmq';
import { describeBusContract } from './bus-contract';

// The contract suite against the real RabbitMQ, in a vhost of its own; each test on freshly named queues.
let vhost: TestVhost;
const buses: AmqpMessageBus[] = [];

beforeAll(async () => {
  vhost = await createTestVhost('cwx-test-contract');
});

afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
  await vhost?.drop();
});

function testPrefix(): string {
  return `test-${randomBytes(4).toString('hex')}`;
}

describeBusContract('AMQP (RabbitMQ)', async (options) => {
  const busOptions: AmqpMessageBusOptions = { url: vhost.url, queuePrefix: testPrefix(), publishTimeoutMs: 5_000, ...options };
  const bus = await AmqpMessageBus.connect(busOptions);
  buses.push(bus);
  await bus.ensureTopology();
  return bus;
});
