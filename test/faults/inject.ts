import { mutatePartner, type GeneratedPartner } from '@cwx/platform-testing';
import type { RecordedRequest } from '../../apps/connectwise-sim/src/testing';
import type { Fleet } from './fleet';

const answered = (r: RecordedRequest) => r.status > 0 && r.status < 400;

/** Named moments of a run, seen through the simulator's request log. */
export const MOMENTS = {
  catalogPhase: { name: 'catalog phase (first catalog read)', matches: (r: RecordedRequest) => answered(r) && r.method === 'GET' && r.apiPath === '/procurement/catalog' },
  additionWrite: { name: 'after an addition write', matches: (r: RecordedRequest) => answered(r) && /^(POST|PATCH)$/.test(r.method) && /\/additions/.test(r.apiPath) },
  csvUpload: { name: 'after a users CSV upload', matches: (r: RecordedRequest) => answered(r) && r.method === 'POST' && r.apiPath === '/system/documents' },
} as const;

export type Moment = keyof typeof MOMENTS;

/**
 * Runs `action` once, when the simulator has answered the `nth` request of the moment. Returns a handle
 * whose `done` resolves with whether the fault was injected (and rejects if the action failed).
 */
export function injectAt(fleet: Fleet, moment: Moment, nth: number, action: () => Promise<void>): { stop(): void; fired(): boolean; done(): Promise<boolean> } {
  let seen = 0;
  let running: Promise<void> | undefined;
  const stop = fleet.sim.onRequest((r) => {
    if (running || !MOMENTS[moment].matches(r) || ++seen < nth) return;
    running = action();
  });
  return {
    stop,
    fired: () => running !== undefined,
    done: async () => {
      stop();
      if (!running) return false;
      await running;
      return true;
    },
  };
}

/**
 * Platform changes on half the accounts, a SKU new to one account and a new user on a few, so the next run
 * has writes of every kind: addition updates and at least one create, and users CSV uploads.
 */
export async function changeSomething(fleet: Fleet, seed: number): Promise<void> {
  const mutated = mutatePartner(fleet.partner, { seed, changedShare: 0.5, retailPriceChanges: 1 });
  const accounts = mutated.partner.accounts;
  addOneSku(mutated.partner, seed);
  for (let i = 0; i < 3; i++) {
    const account = accounts[(seed * 7 + i * 5) % accounts.length];
    account.users.push({ id: `u-${seed}-${i}`, email: `u${seed}x${i}@example.test`, displayName: `User ${seed}.${i}`, services: [{ name: 'Mail', enabled: true }] });
  }
  await fleet.writePartner(mutated.partner);
}

/** Gives one account (chosen by the seed) a SKU it does not hold yet: its job must create an addition. */
function addOneSku(partner: GeneratedPartner, seed: number): void {
  for (let i = 0; i < partner.accounts.length; i++) {
    const account = partner.accounts[(seed + i) % partner.accounts.length];
    const held = new Set(account.subscriptions.map((s) => s.sku));
    const sku = partner.skus.find((s) => !held.has(s.sku))?.sku;
    if (sku === undefined) continue;
    account.subscriptions.push({ planId: `fault-${seed}`, sku, quantity: 2, unitCost: partner.skuCosts[sku] ?? 1 });
    return;
  }
}
