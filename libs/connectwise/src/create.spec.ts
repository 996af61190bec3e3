import { createSafely, type CreateContext } from './create';
import { ConnectWiseError, type ConnectWiseErrorKind } from './errors';
import { RequestCounter } from './http/stats';

function ctx(): CreateContext {
  return { counter: new RequestCounter(), maxRetries: 2, timing: { baseDelayMs: 1, maxDelayMs: 1 }, sleep: () => Promise.resolve() };
}

const fail = (kind: ConnectWiseErrorKind) => new ConnectWiseError({ kind, message: kind, method: 'POST', path: '/x' });

describe('createSafely', () => {
  it('returns the created record', async () => {
    await expect(createSafely(() => Promise.resolve({ id: 1 }), undefined, ctx())).resolves.toEqual({ id: 1 });
  });

  it('after an ambiguous failure, returns what the re-find finds and does not POST again', async () => {
    const post = jest.fn().mockRejectedValueOnce(fail('network'));
    const refind = jest.fn().mockResolvedValue({ id: 7 });
    const c = ctx();
    await expect(createSafely(post, refind, c)).resolves.toEqual({ id: 7 });
    expect(post).toHaveBeenCalledTimes(1);
    expect(c.counter.snapshot()).toMatchObject({ refinds: 1, refindHits: 1 });
  });

  it('re-POSTs only when the re-find finds nothing, within maxRetries', async () => {
    const post = jest.fn().mockRejectedValueOnce(fail('timeout')).mockRejectedValueOnce(fail('server')).mockResolvedValueOnce({ id: 9 });
    const refind = jest.fn().mockResolvedValue(undefined);
    await expect(createSafely(post, refind, ctx())).resolves.toEqual({ id: 9 });
    expect(post).toHaveBeenCalledTimes(3);
    expect(refind).toHaveBeenCalledTimes(2);

    const always = jest.fn().mockRejectedValue(fail('server'));
    await expect(createSafely(always, () => Promise.resolve(undefined), ctx())).rejects.toMatchObject({ kind: 'server' });
    expect(always).toHaveBeenCalledTimes(3);
  });

  it('without a re-find, throws the ambiguous failure flagged outcomeUnknown', async () => {
    const post = jest.fn().mockRejectedValue(fail('network'));
    await expect(createSafely(post, undefined, ctx())).rejects.toMatchObject({ kind: 'network', outcomeUnknown: true });
    expect(post).toHaveBeenCalledTimes(1);
  });

  it('never retries definite failures', async () => {
    for (const kind of ['invalid', 'object-exists', 'forbidden', 'throttled'] as const) {
      const post = jest.fn().mockRejectedValue(fail(kind));
      const refind = jest.fn();
      await expect(createSafely(post, refind, ctx())).rejects.toMatchObject({ kind, outcomeUnknown: false });
      expect(refind).not.toHaveBeenCalled();
    }
  });

  it('resolves an ObjectExists on a re-POST by re-finding', async () => {
    const post = jest.fn().mockRejectedValueOnce(fail('timeout')).mockRejectedValueOnce(fail('object-exists'));
    const refind = jest.fn().mockResolvedValueOnce(undefined).mockResolvedValueOnce({ id: 3 });
    await expect(createSafely(post, refind, ctx())).resolves.toEqual({ id: 3 });
  });

  it('flags the failure when the re-find itself fails', async () => {
    const post = jest.fn().mockRejectedValue(fail('server'));
    const refind = jest.fn().mockRejectedValue(fail('network'));
    await expect(createSafely(post, refind, ctx())).rejects.toMatchObject({ kind: 'server', outcomeUnknown: true });
  });
});
