import { DestinationPolicy } from '@cwx/outbound';
import { createHmac } from 'node:crypto';
import { signWebhook } from './channels';
import { webhookUrlProblem } from './notification-settings.use-cases';
import { amountChanges, failureReason, largestChanges, renderRunReport, type LoggedOperation } from './report-content';

const account = { accountId: 'acc-1', accountName: 'Acme' };
const update = (sku: string, changes: LoggedOperation['changes'], action = 'update'): LoggedOperation => ({ entity: 'addition', action, sku, changes });

describe('amountChanges: quantity × price, after minus before', () => {
  it.each<[string, LoggedOperation, Map<string, number>, number | null]>([
    ['quantity up, price from the list', update('A', [{ field: 'quantity', before: 2, after: 5 }]), new Map([['A', 10]]), 30],
    ['price up, quantity unchanged is unknown', update('A', [{ field: 'unitPrice', before: 10, after: 12 }]), new Map(), null],
    ['both change', update('A', [{ field: 'quantity', before: 2, after: 4 }, { field: 'unitPrice', before: 10, after: 12 }]), new Map(), 28],
    ['create counts from zero', update('A', [{ field: 'quantity', before: null, after: 3 }, { field: 'unitPrice', before: null, after: 9.99 }], 'create'), new Map(), 29.97],
    ['retired to zero', update('A', [{ field: 'quantity', before: 4, after: 0 }], 'retire'), new Map([['A', 5]]), -20],
    ['no price anywhere', update('A', [{ field: 'quantity', before: 1, after: 2 }]), new Map(), null],
  ])('%s', (_name, op, prices, expected) => {
    const [change] = amountChanges(account, [op], prices);
    expect(change.amountDelta).toBe(expected);
  });

  it('ignores documents, catalog items and adoptions', () => {
    const ops: LoggedOperation[] = [
      { entity: 'document', action: 'attach', changes: [] },
      { entity: 'catalogItem', action: 'create', sku: 'A', changes: [{ field: 'price', before: null, after: 3 }] },
      update('A', [{ field: 'ownedAdditionId', before: null, after: 4 }], 'adopt'),
    ];
    expect(amountChanges(account, ops, new Map())).toEqual([]);
  });

  it('largest absolute amounts first, unknown amounts last', () => {
    const changes = amountChanges(
      account,
      [
        update('SMALL', [{ field: 'quantity', before: 1, after: 2 }]),
        update('DROP', [{ field: 'quantity', before: 10, after: 0 }]),
        update('UNPRICED', [{ field: 'quantity', before: 1, after: 50 }]),
        update('BIG', [{ field: 'quantity', before: 1, after: 9 }]),
      ],
      new Map([
        ['SMALL', 5],
        ['DROP', 7],
        ['BIG', 10],
      ]),
    );
    expect(largestChanges(changes, 3).map((c) => c.sku)).toEqual(['BIG', 'DROP', 'SMALL']);
    expect(largestChanges(changes).map((c) => c.sku)).toEqual(['BIG', 'DROP', 'SMALL', 'UNPRICED']);
  });
});

describe('failureReason', () => {
  it('names ConnectWise code, status and message', () => {
    expect(failureReason({ kind: 'invalid', code: 'InvalidObject', status: 400, message: 'Quantity is locked' })).toBe('InvalidObject, HTTP 400: Quantity is locked');
    expect(failureReason({ kind: 'timeout', message: 'no answer' })).toBe('timeout: no answer');
    expect(failureReason(null)).toBe('failed (no reason recorded)');
  });
});

describe('renderRunReport', () => {
  it('escapes what it shows in HTML', () => {
    const html = renderRunReport({
      partnerName: '<b>MSP</b>',
      runId: 'r',
      trigger: 'manual',
      status: 'failed',
      reason: null,
      startedAt: null,
      finishedAt: null,
      counts: { examined: 1, changed: 0, unchanged: 0, failed: 1, skipped: 0, total: 1 },
      largestChanges: [],
      failures: [{ accountId: 'a', accountName: '<script>x</script>', reason: 'r' }],
      moreFailures: 0,
      catalog: null,
      warnings: [{ accountId: 'b', accountName: 'B', code: 'no-catalog-item', sku: 'S', message: '<img src=x>' }],
      moreWarnings: 0,
      review: null,
      logUrl: 'https://x/log',
      logCsvUrl: 'https://x/log.csv',
    }).html;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('no-catalog-item S: &lt;img src=x&gt;');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;MSP&lt;/b&gt;');
  });
});

describe('renderRunReport: the review queue', () => {
  const report = (review: Parameters<typeof renderRunReport>[0]['review']) =>
    renderRunReport({
      partnerName: 'MSP',
      runId: 'r',
      trigger: 'scheduled',
      status: 'succeeded',
      reason: null,
      startedAt: null,
      finishedAt: null,
      counts: { examined: 2, changed: 1, unchanged: 1, failed: 0, skipped: 0, total: 2 },
      largestChanges: [],
      failures: [],
      moreFailures: 0,
      catalog: null,
      warnings: [],
      moreWarnings: 0,
      review,
      logUrl: 'https://x/log',
      logCsvUrl: 'https://x/log.csv',
    });

  it('says how many changes wait and the monthly amount they add and remove, with a link to the queue', () => {
    const out = report({ pending: 3, monthlyAdded: 40, monthlyRemoved: -60.5, queueUrl: 'https://x/review/changes' });
    expect(out.text).toContain('3 change(s) wait for review: +40.00 / -60.50 a month. The queue: https://x/review/changes');
    expect(out.html).toContain('Waiting for review');
    expect(report(null).text).not.toContain('wait for review');
  });
});

describe('signWebhook', () => {
  it('is HMAC-SHA256 over "<timestamp>.<raw body>"', () => {
    const body = '{"a":1}';
    expect(signWebhook('s3cret', 1700000000, body)).toBe(`sha256=${createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex')}`);
    expect(signWebhook('s3cret', 1700000001, body)).not.toBe(signWebhook('s3cret', 1700000000, body));
  });
});

describe('webhookUrlProblem', () => {
  const development = new DestinationPolicy({ allowPrivate: true });
  const production = new DestinationPolicy();
  it.each([
    ['https://hooks.example.com/x', undefined],
    ['http://127.0.0.1:8080/x', undefined],
    ['http://localhost/x', undefined],
    ['http://[::1]:9/x', undefined],
    ['http://hooks.example.com/x', 'must use https (plain http only for a loopback address)'],
    ['http://127.0.0.1.evil.example/x', 'must use https (plain http only for a loopback address)'],
    ['ftp://hooks.example.com/x', 'must use https (plain http only for a loopback address)'],
    ['https://u:p@hooks.example.com/x', 'must not carry a user name or password'],
    ['hooks.example.com', 'must be an absolute URL'],
  ])('%s (development: private destinations allowed)', (url, problem) => {
    expect(webhookUrlProblem(url, development)).toBe(problem);
  });

  it.each([
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'metadata service'],
    ['https://10.1.2.3/x', 'private'],
    ['https://172.16.0.9/x', 'private'],
    ['https://172.31.255.255/x', 'private'],
    ['https://192.168.1.1/x', 'private'],
    ['https://[fd00::1]/x', 'unique-local'],
    ['https://[::ffff:10.0.0.1]/x', 'IPv4-mapped'],
    ['https://[::ffff:127.0.0.1]/x', 'IPv4-mapped'],
    ['https://localhost/x', 'name of this machine'],
    ['https://app.localhost/x', 'name of this machine'],
    ['http://127.0.0.1:6379/', 'loopback'],
    ['http://2130706433:15672/', 'loopback'],
    ['http://127.1:5672/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://[::1]:3000/partners', 'loopback'],
    ['https://0.0.0.0/x', 'this network'],
  ])('%s is refused by default (%s)', (url, reason) => {
    expect(webhookUrlProblem(url, production)).toContain(reason);
  });

  it('accepts a public https receiver by default', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x', production)).toBeUndefined();
    expect(webhookUrlProblem('https://172.32.0.1/x', production)).toBeUndefined();
  });
});
