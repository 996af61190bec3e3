/**
 * Failures, as the worker must tell them apart: a ConnectWise refusal fails that account only (with
 * ConnectWise's code and message), a 401 stops the run, transient trouble is thrown as retryable.
 */
import { PlatformNotFoundError, type PlatformSource, PlatformUnavailableError } from '@cwx/platform';
import { AccountExporter, CredentialsRejectedError, RetryableExportError } from '../../libs/export/src';
import { clientFor, DEMO_KEYS, settingsWith, useHarness } from './support/harness';

describe('export failures (simulator)', () => {
  const h = useHarness({ partnerId: 'errors', seed: 47, accounts: 3 });
  const settings = settingsWith({ cost: true });
  let catalog: Map<string, number>;

  beforeAll(async () => {
    const result = await h.runCatalog(settings);
    catalog = new Map(result.catalog.map((e) => [e.sku, e.catalogItemId]));
  });

  it('ConnectWise refuses a write (400): that account fails with its code and message, after reporting what it did; others go on', async () => {
    const [failing, ...others] = h.accountIds;
    expect((await h.subscriptions(failing)).length).toBeGreaterThanOrEqual(2);
    let posts = 0;
    const client = clientFor(h.sim, DEMO_KEYS, {
      onRequest: (event) => {
        if (event.method === 'POST' && /additions$/.test(event.path) && ++posts === 1) {
          h.sim.failNext({
            method: 'POST',
            path: /additions/,
            status: 400,
            body: { code: 'InvalidObject', message: 'addition object is invalid', errors: [{ code: 'InvalidField', message: 'Product is not sold on this agreement', resource: 'addition', field: 'product' }] },
          });
        }
      },
    });

    const result = await h.runAccount(failing, settings, catalog, { client });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'invalid', code: 'InvalidObject', status: 400, details: [{ code: 'InvalidField', field: 'product' }] });
    expect(result.error!.message).toContain('addition object is invalid');
    expect(result.operations).toHaveLength(1);
    expect(result.operations[0]).toMatchObject({ action: 'create', id: expect.any(Number) });
    expect(h.additions(failing)).toHaveLength(1);

    for (const accountId of others) expect((await h.runAccount(accountId, settings, catalog)).status).toBe('changed');
  });

  it('a security role without agreement rights (403): the account fails with ConnectWise\'s Security code', async () => {
    const limited = clientFor(h.sim, { companyId: 'demo', publicKey: 'limited-public', privateKey: 'limited-private' });
    const result = await h.runAccount(h.accountIds[0], settings, catalog, { client: limited });
    expect(result).toMatchObject({ status: 'failed', error: { kind: 'forbidden', code: 'Security', status: 403 } });
  });

  it('rejected credentials (401): CredentialsRejectedError from both phases, nothing written', async () => {
    const wrong = clientFor(h.sim, { ...DEMO_KEYS, privateKey: 'not-the-key' });
    h.sim.resetRequests();
    const account = await h.runAccount(h.accountIds[0], settings, catalog, { client: wrong }).catch((e: unknown) => e);
    expect(account).toBeInstanceOf(CredentialsRejectedError);
    expect((account as CredentialsRejectedError).reason).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(await h.runCatalog(settings, { client: wrong }).catch((e: unknown) => e)).toBeInstanceOf(CredentialsRejectedError);
    expect(h.writes()).toBe(0);
    expect(JSON.stringify(account)).not.toContain('not-the-key');
  });

  it('ConnectWise keeps failing (5xx) or throttling (429) past the retries: RetryableExportError', async () => {
    h.sim.failNext({ method: 'GET', path: /additions/, status: 500, count: 3 });
    const server = await h.runAccount(h.accountIds[1], settings, catalog).catch((e: unknown) => e);
    expect(server).toBeInstanceOf(RetryableExportError);
    expect((server as RetryableExportError).reason).toMatchObject({ kind: 'server', status: 500 });

    h.sim.failNext({ method: 'GET', path: /additions/, status: 429, count: 3, headers: { 'Retry-After': '0' } });
    const throttled = await h.runAccount(h.accountIds[1], settings, catalog).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(RetryableExportError);
    expect(throttled).toMatchObject({ reason: { kind: 'throttled', status: 429 }, retryAfterMs: 0 });
  });

  it('the platform is unavailable: retryable; the account is gone from the platform: skipped, nothing written', async () => {
    const exporter = (fail: Error) => {
      // The folder source, except that reading the account's subscriptions fails.
      const platform = Object.create(h.platform, { getSubscriptions: { value: () => Promise.reject(fail) } }) as PlatformSource;
      return new AccountExporter({ platform, connectwise: h.client, ownership: h.stores.ownership, usersCsv: h.stores.usersCsv });
    };
    const input = { runId: 'r', partnerId: h.partnerId, accountId: h.accountIds[2], accountName: 'x', agreementId: h.agreementOf(h.accountIds[2]), settings, catalog, runDate: '2026-03-01' };

    const unavailable = await exporter(new PlatformUnavailableError('platform answered 503', { status: 503 })).run(input).catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(RetryableExportError);
    expect((unavailable as RetryableExportError).reason).toMatchObject({ kind: 'platform-unavailable', code: 'PLATFORM_UNAVAILABLE' });

    h.sim.resetRequests();
    const gone = await exporter(new PlatformNotFoundError('account', h.partnerId, h.accountIds[2])).run(input);
    expect(gone).toMatchObject({ status: 'skipped', operations: [], warnings: [{ code: 'account-not-on-platform' }] });
    expect(h.writes()).toBe(0);
  });

  it('a malformed run date fails the account before any call', async () => {
    h.sim.resetRequests();
    const result = await h.runAccount(h.accountIds[2], settings, catalog, { runDate: '2026-02-30' });
    expect(result).toMatchObject({ status: 'failed', error: { kind: 'invalid-input', code: 'DOMAIN_INVALID_RUN_DATE' }, connectwiseCalls: 0 });
  });
});
