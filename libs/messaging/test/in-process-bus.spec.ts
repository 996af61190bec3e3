import { InProcessMessageBus } from '@cwx/messaging';
import { describeBusContract } from './bus-contract';

describeBusContract('in-process', async (options) => {
  const bus = new InProcessMessageBus(options);
  await bus.ensureTopology();
  return bus;
});
