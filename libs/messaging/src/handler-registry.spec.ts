import { QueueName } from './contracts';
import { MessagingErrorCode } from './errors';
import { HandlerRegistry } from './handler-registry';
import type { AnyDelivery, HandlerOutcome } from './message-bus';

const ack = (): Promise<HandlerOutcome> => Promise.resolve('ack');

function delivery(type: AnyDelivery['type'], queue: QueueName): AnyDelivery {
  return { messageId: 'm', type, payload: {}, deliveryCount: 1, redelivered: false, queue } as unknown as AnyDelivery;
}

describe('HandlerRegistry', () => {
  it('refuses a second handler for the same type on the same queue', () => {
    const registry = new HandlerRegistry().register(QueueName.ExportAccount, 'account.requested', ack);
    expect(() => registry.register(QueueName.ExportAccount, 'account.requested', ack)).toThrow(
      expect.objectContaining({ code: MessagingErrorCode.DuplicateHandler }),
    );
  });

  it('allows one type on two queues (the job and its dead letter)', () => {
    const registry = new HandlerRegistry()
      .register(QueueName.ExportAccount, 'account.requested', ack)
      .register(QueueName.ExportDeadLetters, 'account.requested', ack);
    expect(registry.has(QueueName.ExportDeadLetters, 'account.requested')).toBe(true);
  });

  it('refuses a handler for a type the queue does not carry', () => {
    expect(() => new HandlerRegistry().register(QueueName.ExportAccount, 'catalog.completed' as 'account.requested', ack)).toThrow(/does not carry/);
  });

  it('names every unhandled type of the consumed queues at start-up', () => {
    const registry = new HandlerRegistry().register(QueueName.ExportResults, 'account.completed', ack);
    expect(registry.unhandled(QueueName.ExportResults)).toEqual(['catalog.completed']);
    expect(() => registry.assertComplete([QueueName.ExportResults, QueueName.ExportCatalog])).toThrow(
      'No handler for catalog.completed on cwx.export.results, catalog.requested on cwx.export.catalog',
    );
    expect(() => registry.dispatcherFor(QueueName.ExportResults)).toThrow(expect.objectContaining({ code: MessagingErrorCode.MissingHandler }));
  });

  it('dispatches each delivery to the handler of its type', async () => {
    const seen: string[] = [];
    const registry = new HandlerRegistry()
      .register(QueueName.ExportResults, 'account.completed', (d) => {
        seen.push(`account ${d.payload.accountId}`);
        return Promise.resolve('ack');
      })
      .register(QueueName.ExportResults, 'catalog.completed', () => {
        seen.push('catalog');
        return Promise.resolve('dead');
      });
    const dispatch = registry.dispatcherFor(QueueName.ExportResults);
    const account = { ...delivery('account.completed', QueueName.ExportResults), payload: { accountId: 'a-1' } } as AnyDelivery;
    expect(await dispatch(account)).toBe('ack');
    expect(await dispatch(delivery('catalog.completed', QueueName.ExportResults))).toBe('dead');
    expect(seen).toEqual(['account a-1', 'catalog']);
  });
});
