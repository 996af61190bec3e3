import { correlationIdFrom } from './correlation';
import { toSafeError } from './safe-error';

describe('toSafeError', () => {
  it('keeps name, message, code and status but drops request config and headers', () => {
    const error = Object.assign(new Error('Request failed with status code 401'), {
      name: 'AxiosError',
      code: 'ERR_BAD_REQUEST',
      config: { headers: { Authorization: 'Basic ZGVtbytwdWI6cHJpdg==' } },
      response: { status: 401, config: { headers: { Authorization: 'Basic ZGVtbytwdWI6cHJpdg==' } } },
    });
    const safe = toSafeError(error);
    expect(safe).toMatchObject({ type: 'AxiosError', code: 'ERR_BAD_REQUEST', status: 401 });
    expect(JSON.stringify(safe)).not.toContain('ZGVtbytwdWI6cHJpdg==');
  });

  it('describes non-Error values', () => {
    expect(toSafeError('boom')).toEqual({ type: 'string', message: 'boom' });
  });
});

describe('correlationIdFrom', () => {
  it('keeps a well-formed caller id and replaces a malformed one', () => {
    expect(correlationIdFrom('run-42:acct-7')).toBe('run-42:acct-7');
    const replaced = correlationIdFrom('bad id\nwith newline');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });
});
