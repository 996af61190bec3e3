import { ConnectWiseError, kindForStatus, parseErrorBody, toConnectWiseError } from './errors';

describe('parseErrorBody', () => {
  it('reads ConnectWise error bodies from JSON, text and bytes', () => {
    const body = { code: 'InvalidObject', message: 'catalogItem object is invalid', errors: [{ code: 'ObjectExists', message: 'exists', resource: 'catalogItem', field: 'identifier' }] };
    expect(parseErrorBody(body)).toEqual({ code: 'InvalidObject', message: 'catalogItem object is invalid', errors: [{ code: 'ObjectExists', message: 'exists', resource: 'catalogItem', field: 'identifier', details: undefined }] });
    expect(parseErrorBody('{\r\n "code": "NotFound",\r\n "message": "x"\r\n}').code).toBe('NotFound');
    expect(parseErrorBody(Buffer.from('{"code":"Security","message":"no"}')).code).toBe('Security');
  });

  it('reads the documented 429 body whose key is "error"', () => {
    expect(parseErrorBody({ error: 'ConnectWiseAPI', message: 'Too many requests.' }).code).toBe('ConnectWiseAPI');
  });

  it('keeps nothing from HTML or odd bodies', () => {
    expect(parseErrorBody('<html>Cloudflare</html>')).toEqual({ errors: [] });
    expect(parseErrorBody(null)).toEqual({ errors: [] });
    expect(parseErrorBody([1, 2])).toEqual({ errors: [] });
  });
});

describe('kindForStatus', () => {
  const none = { errors: [] };
  it.each([
    [400, 'invalid'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [409, 'conflict'],
    [415, 'invalid'],
    [429, 'throttled'],
    [500, 'server'],
    [503, 'server'],
    [302, 'unexpected-response'],
  ])('%i → %s', (status, kind) => {
    expect(kindForStatus(status, none)).toBe(kind);
  });

  it('tells a duplicate from other validation errors', () => {
    expect(kindForStatus(400, { code: 'InvalidObject', errors: [{ code: 'MissingRequiredField' }, { code: 'ObjectExists' }] })).toBe('object-exists');
    expect(kindForStatus(400, { code: 'InvalidObject', errors: [{ code: 'MissingRequiredField' }] })).toBe('invalid');
  });

  it('treats a 500 "Error converting value" as invalid input', () => {
    expect(kindForStatus(500, { code: 'ConnectWiseApi', message: 'Error converting value "x" to type y', errors: [] })).toBe('invalid');
    expect(kindForStatus(500, { code: 'ConnectWiseApi', message: 'A timeout has occured. Please try again.', errors: [] })).toBe('server');
  });
});

describe('toConnectWiseError', () => {
  it('carries status, code, message, errors, method and path', () => {
    const error = toConnectWiseError({
      method: 'POST',
      path: '/finance/agreements',
      status: 400,
      body: { code: 'InvalidObject', message: 'agreement object is invalid', errors: [{ code: 'MissingRequiredField', field: 'type' }] },
      attempts: 1,
    });
    expect(error).toBeInstanceOf(ConnectWiseError);
    expect(error).toMatchObject({ kind: 'invalid', status: 400, code: 'InvalidObject', method: 'POST', path: '/finance/agreements', attempts: 1 });
    expect(error.errors).toEqual([expect.objectContaining({ code: 'MissingRequiredField', field: 'type' })]);
    expect(error.message).toBe('ConnectWise HTTP 400 InvalidObject: agreement object is invalid (POST /finance/agreements)');
    expect(error.transient).toBe(false);
  });

  it('describes network failures and timeouts', () => {
    expect(toConnectWiseError({ method: 'GET', path: '/system/info', networkCode: 'ECONNREFUSED' })).toMatchObject({ kind: 'network', networkCode: 'ECONNREFUSED', message: 'ConnectWise unreachable: connection refused (GET /system/info)' });
    const timeout = toConnectWiseError({ method: 'GET', path: '/system/info', networkCode: 'ETIMEDOUT', timedOut: true });
    expect(timeout.kind).toBe('timeout');
    expect(timeout.transient).toBe(true);
  });

  it('says a redirect was refused', () => {
    expect(toConnectWiseError({ method: 'GET', path: '/x', status: 302 }).message).toMatch(/redirect refused/);
  });

  it('serialises to JSON without surprises and can be flagged outcome-unknown', () => {
    const error = toConnectWiseError({ method: 'POST', path: '/procurement/catalog', status: 503 });
    const flagged = error.withOutcomeUnknown();
    expect(flagged).toMatchObject({ kind: 'server', status: 503, outcomeUnknown: true, message: error.message });
    expect(JSON.parse(JSON.stringify(flagged))).toMatchObject({ name: 'ConnectWiseError', kind: 'server', outcomeUnknown: true });
  });
});
