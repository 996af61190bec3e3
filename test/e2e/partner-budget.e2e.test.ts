import type request from 'supertest';
import { startLocalExportStack, type LocalExportStack } from '../support/control-plane';

const PARTNER = 'budget-msp';
/** The partner's budget in this test: 180 a minute (one request every 333 ms), burst 10. */
const BUDGET_PER_MINUTE = 180;
const BURST = 10;
const INTERVAL_MS = 60_000 / BUDGET_PER_MINUTE;

/**
 * Issue 14 point 5: the panel's ConnectWise calls (mapping pickers, suggestions, settings options, preview)
 * draw from the partner's budget like the export does, so a partner clicking during an export never pushes
 * the partner past its rate. The simulator enforces ConnectWise's limit at the budget (+ burst) per minute:
 * requests beyond the budget would come back 429 and slow the export.
 */
describe('one ConnectWise budget per partner: an export and the panel together (local mode)', () => {
  let stack: LocalExportStack;
  const http = () => stack.http();
  const as = (req: request.Test) => stack.as(req);
  const sim = () => stack.sim;

  beforeAll(async () => {
    stack = await startLocalExportStack({
      partnerId: PARTNER,
      partner: { seed: 5, accounts: 4, skusPerAccount: { min: 2, max: 3 }, usersPerAccount: 1 },
      simulator: { rateLimitPerMinute: BUDGET_PER_MINUTE + BURST },
      connectwise: { clientId: 'budget', requestTimeoutMs: 5000, maxRetries: 2, retryMaxDelayMs: 200 },
      config: { messaging: { prefetch: 4, deliveryLimit: 3, budgetPerMinute: BUDGET_PER_MINUTE, runWindow: 8 } },
      deliveryLimit: 3,
      data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true },
    });
    await stack.mapEveryAccount({ identifierPrefix: 'Bud', city: 'Lyon' });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('stays within the budget (no window over rate + burst, no 429) while the panel looks companies up during an export', async () => {
    // Let the bucket refill after the mapping's calls, then start counting.
    await new Promise((r) => setTimeout(r, BURST * INTERVAL_MS));
    sim().resetRequests();
    const run = (await as(http().post(`/partners/${PARTNER}/runs`)).expect(201)).body as { id: string };
    let finished = false;
    const statuses: number[] = [];
    // Five tabs clicking as fast as the API answers, for the export's first 8 s (clicks go first: while
    // they last, the export gets what is left of the budget).
    const clickUntil = Date.now() + 8_000;
    const click = async (): Promise<void> => {
      while (!finished && Date.now() < clickUntil) {
        const res = await as(http().get(`/partners/${PARTNER}/connectwise/companies`).query({ q: 'a' }));
        statuses.push(res.status);
      }
    };
    const clicking = Array.from({ length: 5 }, () => click());
    const deadline = Date.now() + 120_000;
    let status = 'queued';
    while (['queued', 'running'].includes(status)) {
      if (Date.now() > deadline) throw new Error('the run did not finish');
      await new Promise((r) => setTimeout(r, 200));
      status = ((await as(http().get(`/partners/${PARTNER}/runs/${run.id}`)).expect(200)).body as { status: string }).status;
    }
    finished = true;
    await Promise.all(clicking);

    expect(status).toBe('succeeded');
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]); // the clicks were answered, none refused

    const times = sim()
      .requests()
      .map((r) => Date.parse(r.time))
      .sort((a, b) => a - b);
    expect(sim().requests().filter((r) => r.status === 429)).toEqual([]);
    // Any window of W ms sees at most burst + W / interval requests (one more for the clock's rounding).
    for (const windowMs of [2_000, 5_000]) {
      const limit = BURST + windowMs / INTERVAL_MS + 1;
      const busiest = Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length));
      expect(busiest).toBeLessThanOrEqual(limit);
    }
  }, 180_000);
});
