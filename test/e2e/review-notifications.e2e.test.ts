import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startLocalExportStack, type LocalExportStack } from '../support/control-plane';

const PARTNER = 'review-notify';

interface Hook {
  headers: IncomingHttpHeaders;
  body: { event: string; partnerId: string; data: Record<string, unknown> };
}

interface Totals {
  count: number;
  monthlyAdded: number;
  monthlyRemoved: number;
}

/**
 * A run that holds changes for review tells the partner so: the run report says how many changes wait and the
 * monthly amount they add and remove, and the `review.pending` alert says the same, both as delivered to a webhook
 * receiver (local mode, embedded worker, the simulator as ConnectWise, the dispatcher as in production).
 */
describe('review: the run report and the alert name the pending changes and their amount', () => {
  let stack: LocalExportStack;
  let receiver: Server;
  const hooks: Hook[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Hook['body'] });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    stack = await startLocalExportStack({
      partnerId: PARTNER,
      partner: { seed: 23, accounts: 3, skusPerAccount: { min: 2, max: 3 }, usersPerAccount: 1 },
      connectwise: { clientId: 'review-notify' },
      data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: false },
      config: {
        notifications: {
          mailDir: join(__dirname, '..', '..', 'data', 'test-unused-mail'),
          from: 'CWX <reports@cwx.test>',
          publicBaseUrl: 'https://cwx.example',
          maxAttempts: 3,
          retryBaseMs: 40,
          timeoutMs: 2000,
          dispatcher: true,
          pollIntervalMs: 20,
        },
      },
    });
    await stack.mapEveryAccount({ identifierPrefix: 'Ntf', city: 'Bergen' });
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  async function hookFor(event: string, match: (h: Hook) => boolean): Promise<Hook> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const hook = hooks.find((h) => h.body.event === event && match(h));
      if (hook) return hook;
      if (Date.now() > deadline) throw new Error(`no ${event} delivered; got ${JSON.stringify(hooks.map((h) => h.body.event))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('a run that holds changes: the report and the alert state how many wait and their monthly amount', async () => {
    const { as, http } = stack;
    // First export without a policy: every line is created, nothing waits.
    expect(await stack.exportNow()).toMatchObject({ status: 'succeeded', failed: 0 });
    await as(http().put(`/partners/${PARTNER}/review/policy`)).send({ preset: 'everything-waits' }).expect(200);
    await as(http().put(`/partners/${PARTNER}/integration/notifications`))
      .send({
        emailRecipients: [],
        webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        events: ['run.report', 'review.pending'],
        cadence: 'every_run',
        // A run that only holds changes writes nothing to ConnectWise; its report must still be sent.
        silentWhenUnchanged: true,
      })
      .expect(200);
    await stack.editSubscriptions((subs) => {
      subs[0].quantity += 2;
      if (subs[1]) subs[1].quantity = Math.max(0, subs[1].quantity - 1);
    });

    const run = await stack.exportNow();
    expect(run).toMatchObject({ status: 'succeeded', failed: 0 });
    const totals = ((await as(http().get(`/partners/${PARTNER}/review/changes`)).expect(200)).body as { totals: Totals }).totals;
    expect(totals.count).toBeGreaterThanOrEqual(3);
    expect(totals.monthlyAdded).toBeGreaterThan(0);
    expect(totals.monthlyRemoved).toBeLessThan(0);
    const described = `${totals.count} change(s) wait for review: +${totals.monthlyAdded.toFixed(2)} / -${Math.abs(totals.monthlyRemoved).toFixed(2)} a month`;

    const report = await hookFor('run.report', (h) => h.body.data.runId === run.id);
    expect(report.headers['x-cwx-event']).toBe('run.report');
    expect(report.body.data.review).toEqual({
      pending: totals.count,
      monthlyAdded: totals.monthlyAdded,
      monthlyRemoved: totals.monthlyRemoved,
      queueUrl: `https://cwx.example/partners/${PARTNER}/review/changes`,
    });

    const alert = await hookFor('review.pending', () => true);
    expect(alert.body.data).toMatchObject({ count: totals.count, monthlyAdded: totals.monthlyAdded, monthlyRemoved: totals.monthlyRemoved });
    expect(alert.body.data.title).toBe(`${totals.count} change(s) wait for your review before they reach ConnectWise`);
    expect(alert.body.data.lines).toContain(`${described}.`);
  }, 120_000);
});
