import { ConnectWiseError, type ConnectWiseErrorKind } from '@cwx/connectwise';
import { DomainError, DomainErrorCode } from '@cwx/domain';
import { PlatformInvalidDataError, PlatformUnavailableError } from '@cwx/platform';
import { classifyError, CredentialsRejectedError, RetryableExportError, settleFailure, StoreError } from './errors';

const cw = (kind: ConnectWiseErrorKind, extra: Partial<ConstructorParameters<typeof ConnectWiseError>[0]> = {}) =>
  new ConnectWiseError({ kind, message: `ConnectWise ${kind}`, ...extra });

describe('classifyError', () => {
  it.each<[ConnectWiseErrorKind, string]>([
    ['unauthorized', 'credentials'],
    ['throttled', 'retry'],
    ['server', 'retry'],
    ['network', 'retry'],
    ['timeout', 'retry'],
    ['invalid', 'final'],
    ['forbidden', 'final'],
    ['not-found', 'final'],
    ['object-exists', 'final'],
    ['conflict', 'final'],
  ])('ConnectWise %s → %s', (kind, disposition) => {
    expect(classifyError(cw(kind))?.disposition).toBe(disposition);
  });

  it("keeps ConnectWise's code, status, message and validation errors", () => {
    const error = cw('invalid', { status: 400, code: 'InvalidObject', errors: [{ code: 'MissingRequiredField', field: 'product', message: 'product is required', resource: 'addition' }] });
    expect(classifyError(error)?.info).toEqual({
      kind: 'invalid',
      code: 'InvalidObject',
      status: 400,
      message: 'ConnectWise invalid',
      details: [{ code: 'MissingRequiredField', field: 'product', message: 'product is required' }],
    });
    expect(classifyError(cw('throttled', { retryAfterSeconds: 30 }))?.retryAfterMs).toBe(30_000);
  });

  it('platform, store and domain errors', () => {
    expect(classifyError(new PlatformUnavailableError('down'))).toMatchObject({ disposition: 'retry', info: { kind: 'platform-unavailable' } });
    expect(classifyError(new PlatformInvalidDataError('skus.json', []))).toMatchObject({ disposition: 'final', info: { kind: 'platform-invalid-data' } });
    expect(classifyError(new StoreError('save', new Error('gone')))).toMatchObject({ disposition: 'retry', info: { kind: 'store' } });
    expect(classifyError(new DomainError(DomainErrorCode.InvalidRunDate, 'bad'))).toMatchObject({ disposition: 'final', info: { kind: 'invalid-input' } });
    expect(classifyError(new TypeError('bug'))).toBeUndefined();
  });
});

describe('settleFailure', () => {
  it('returns a final error, throws the retryable and credential ones with the partial result, rethrows bugs', () => {
    const partial = { operations: [1] };
    expect(settleFailure(cw('invalid'), partial)).toMatchObject({ kind: 'invalid' });
    expect(() => settleFailure(cw('server'), partial)).toThrow(RetryableExportError);
    expect(() => settleFailure(cw('unauthorized'), partial)).toThrow(CredentialsRejectedError);
    try {
      settleFailure(cw('timeout'), partial);
    } catch (error) {
      expect(error).toMatchObject({ code: 'EXPORT_RETRYABLE', partial, reason: { kind: 'timeout' } });
    }
    const bug = new TypeError('bug');
    expect(() => settleFailure(bug, partial)).toThrow(bug);
  });
});
