import { Client } from 'pg';
import { catalogIdentifierFor } from '@cwx/domain';
import type { PlatformSource } from '@cwx/platform';
import type { RunningSimulator } from '../../apps/connectwise-sim/src/testing';

/**
 * The fault suites' checker, in the spirit of Jepsen's: after a faulty run, count what went wrong rather
 * than stop at the first assertion. It reads three sources of truth: the simulator's records (what
 * ConnectWise holds), the control plane's database (runs, export log, mappings) and the platform data
 * (what ConnectWise should hold).
 */
export interface CheckReport {
  /** Two or more non-cancelled additions for one product on one agreement. */
  duplicateAdditions: { agreementId: number; identifier: string; additionIds: number[] }[];
  /** Two or more catalog items whose identifiers are equal ignoring case. */
  duplicateCatalogItems: { identifier: string; ids: number[] }[];
  /** More than one users CSV of ours attached to one agreement. */
  duplicateUsersCsvs: { agreementId: number; titles: string[] }[];
  /** Runs of the partner still queued or running. */
  runsNotTerminal: { runId: string; status: string }[];
  /** Per checked run: accounts without a log row (lost results), and log rows for accounts not in the run. */
  logMismatches: { runId: string; missing: string[]; unexpected: string[]; total: number; rows: number; done: number }[];
  /** Quantities, costs and prices in ConnectWise that differ from the platform data. */
  wrongValues: { accountId: string; agreementId: number; identifier: string; field: string; expected: number | null; actual: number | null }[];
}

export interface CheckInput {
  sim: RunningSimulator;
  /** The control plane's PostgreSQL database. */
  databaseUrl: string;
  partnerId: string;
  platform: PlatformSource;
  /** The runs whose log must hold exactly one row per account (default: the partner's latest run). */
  runIds?: string[];
  /** Compare money only when the partner exports it. */
  settings: { cost: boolean; retailPrice: boolean };
  /**
   * Accounts whose ConnectWise values are not compared (e.g. failed on purpose in this run). By default
   * the accounts whose latest log row is `failed` are left out, since a failed account may be stale.
   */
  skipValuesFor?: ReadonlySet<string>;
  /** The accounts the checked runs must log, one row each (default: every account mapped for export; a run of approved changes covers only the accounts that have some). */
  runAccounts?: ReadonlySet<string>;
}

const TERMINAL = new Set(['succeeded', 'partially_failed', 'failed', 'nothing_to_export']);
const OUR_CSV_TITLE = /^Users - .* \([0-9a-f]{12}\)$/;
const OUR_CSV_FILE = /^users-[a-z0-9-]+\.csv$/;
/** The export compares money at 4 decimals (libs/domain README): anything half a ten-thousandth apart is wrong. */
const MONEY_TOLERANCE = 0.00005;

export async function checkExport(input: CheckInput): Promise<CheckReport> {
  const db = new Client({ connectionString: input.databaseUrl });
  db.on('error', () => undefined); // a connection cut by a fault must fail the query, not the process
  await db.connect();
  try {
    const mappings = (
      await db.query<{ account_id: string; agreement_id: number; platform_status: string }>(
        `select account_id, agreement_id, platform_status from account_mappings
          where partner_id = $1 and state = 'mapped' and export_enabled and agreement_id is not null`,
        [input.partnerId],
      )
    ).rows;
    // The partner's billing policies (libs/domain settings.ts): a suspended or cancelled account that is not billed
    // must have nothing above 0; a SKU without a retail price under fail-line is not written at all.
    const [policies] = (
      await db.query<{ missing_retail_price: string; suspended_accounts: string; cancelled_accounts: string }>(
        'select missing_retail_price, suspended_accounts, cancelled_accounts from export_settings where partner_id = $1',
        [input.partnerId],
      )
    ).rows;
    const billed = (status: string) =>
      status === 'active' || (status === 'suspended' ? policies?.suspended_accounts : policies?.cancelled_accounts) === 'bill';
    const runs = (await db.query<{ id: string; status: string; total_accounts: number; done_accounts: number }>(
      'select id, status, total_accounts, done_accounts from runs where partner_id = $1 order by created_at',
      [input.partnerId],
    )).rows;
    const runIds = input.runIds ?? (runs.length > 0 ? [runs[runs.length - 1].id] : []);
    const report: CheckReport = {
      duplicateAdditions: duplicateAdditions(input.sim, mappings.map((m) => m.agreement_id)),
      duplicateCatalogItems: duplicateCatalogItems(input.sim),
      duplicateUsersCsvs: duplicateUsersCsvs(input.sim, mappings.map((m) => m.agreement_id)),
      runsNotTerminal: runs.filter((r) => !TERMINAL.has(r.status)).map((r) => ({ runId: r.id, status: r.status })),
      logMismatches: [],
      wrongValues: [],
    };

    const accounts = input.runAccounts ?? new Set(mappings.map((m) => m.account_id));
    let failedInLastRun = new Set<string>();
    for (const runId of runIds) {
      const run = runs.find((r) => r.id === runId);
      const rows = (await db.query<{ account_id: string; status: string }>('select account_id, status from export_log where run_id = $1', [runId])).rows;
      const logged = rows.map((r) => r.account_id);
      const missing = [...accounts].filter((a) => !logged.includes(a));
      const unexpected = logged.filter((a, i) => !accounts.has(a) || logged.indexOf(a) !== i);
      if (missing.length > 0 || unexpected.length > 0 || (run && (run.total_accounts !== rows.length || run.done_accounts !== rows.length))) {
        report.logMismatches.push({ runId, missing, unexpected, total: run?.total_accounts ?? -1, rows: rows.length, done: run?.done_accounts ?? -1 });
      }
      failedInLastRun = new Set(rows.filter((r) => r.status === 'failed').map((r) => r.account_id));
    }

    const skip = input.skipValuesFor ?? failedInLastRun;
    const prices = input.settings.retailPrice
      ? new Map((await input.platform.getRetailPrices(input.partnerId)).prices.map((p) => [p.sku, p.price]))
      : new Map<string, number>();
    const identifiers = new Map(input.sim.state.catalogItems().map((c) => [c.id, String(c.identifier)]));
    for (const mapping of mappings) {
      if (skip.has(mapping.account_id)) continue;
      const expected = new Map<string, { quantity: number; unitCost: number; unitPrice?: number }>();
      const notWritten = new Set<string>();
      const subscriptions = billed(mapping.platform_status) ? await input.platform.getSubscriptions(input.partnerId, mapping.account_id) : [];
      for (const s of subscriptions) {
        const identifier = catalogIdentifierFor(s.sku).toLowerCase();
        if (input.settings.retailPrice && !prices.has(s.sku) && (policies?.missing_retail_price ?? 'fail-line') === 'fail-line') notWritten.add(identifier);
        else expected.set(identifier, { quantity: s.quantity, unitCost: s.unitCost, unitPrice: prices.get(s.sku) });
      }
      const live = input.sim.state.additions(mapping.agreement_id).filter((a) => !a.cancelledDate);
      const actual = new Map(live.map((a) => [(identifiers.get((a.product as { id: number }).id) ?? '?').toLowerCase(), a]));
      const wrong = (identifier: string, field: string, want: number | null, got: number | null) =>
        report.wrongValues.push({ accountId: mapping.account_id, agreementId: mapping.agreement_id, identifier, field, expected: want, actual: got });
      for (const [identifier, line] of expected) {
        const addition = actual.get(identifier);
        if (!addition) {
          if (line.quantity > 0) wrong(identifier, 'addition', line.quantity, null);
          continue;
        }
        const quantity = Number(addition.quantity);
        if (Math.abs(quantity - line.quantity) > 1e-9) wrong(identifier, 'quantity', line.quantity, quantity);
        if (input.settings.cost && line.quantity > 0 && Math.abs(Number(addition.unitCost) - line.unitCost) > MONEY_TOLERANCE) {
          wrong(identifier, 'unitCost', line.unitCost, Number(addition.unitCost));
        }
        if (input.settings.retailPrice && line.unitPrice !== undefined && line.quantity > 0 && Math.abs(Number(addition.unitPrice) - line.unitPrice) > MONEY_TOLERANCE) {
          wrong(identifier, 'unitPrice', line.unitPrice, Number(addition.unitPrice));
        }
      }
      // A line the account no longer holds must be brought to 0, never left at its old quantity.
      for (const [identifier, addition] of actual) {
        if (!expected.has(identifier) && !notWritten.has(identifier) && Number(addition.quantity) !== 0) wrong(identifier, 'quantity', 0, Number(addition.quantity));
      }
    }
    return report;
  } finally {
    await db.end();
  }
}

/** Counts in one line, for test output and RELIABILITY.md. */
export function summarise(report: CheckReport): string {
  const lost = report.logMismatches.reduce((n, m) => n + m.missing.length, 0);
  return [
    `duplicate additions ${report.duplicateAdditions.length}`,
    `duplicate catalog items ${report.duplicateCatalogItems.length}`,
    `duplicate users CSVs ${report.duplicateUsersCsvs.length}`,
    `runs not terminal ${report.runsNotTerminal.length}`,
    `lost results ${lost}`,
    `log mismatches ${report.logMismatches.length}`,
    `wrong values ${report.wrongValues.length}`,
  ].join(', ');
}

/** True when nothing is wrong. */
export function isClean(report: CheckReport): boolean {
  return (
    report.duplicateAdditions.length === 0 &&
    report.duplicateCatalogItems.length === 0 &&
    report.duplicateUsersCsvs.length === 0 &&
    report.runsNotTerminal.length === 0 &&
    report.logMismatches.length === 0 &&
    report.wrongValues.length === 0
  );
}

function duplicateAdditions(sim: RunningSimulator, agreementIds: number[]): CheckReport['duplicateAdditions'] {
  const identifiers = new Map(sim.state.catalogItems().map((c) => [c.id, String(c.identifier)]));
  const found: CheckReport['duplicateAdditions'] = [];
  for (const agreementId of new Set(agreementIds)) {
    const byProduct = new Map<number, number[]>();
    for (const a of sim.state.additions(agreementId)) {
      if (a.cancelledDate) continue;
      const productId = (a.product as { id: number }).id;
      byProduct.set(productId, [...(byProduct.get(productId) ?? []), a.id]);
    }
    for (const [productId, ids] of byProduct) {
      if (ids.length > 1) found.push({ agreementId, identifier: identifiers.get(productId) ?? String(productId), additionIds: ids });
    }
  }
  return found;
}

function duplicateCatalogItems(sim: RunningSimulator): CheckReport['duplicateCatalogItems'] {
  const byIdentifier = new Map<string, number[]>();
  for (const item of sim.state.catalogItems()) {
    const key = String(item.identifier).toLowerCase();
    byIdentifier.set(key, [...(byIdentifier.get(key) ?? []), item.id]);
  }
  return [...byIdentifier].filter(([, ids]) => ids.length > 1).map(([identifier, ids]) => ({ identifier, ids }));
}

function duplicateUsersCsvs(sim: RunningSimulator, agreementIds: number[]): CheckReport['duplicateUsersCsvs'] {
  const wanted = new Set(agreementIds);
  const byAgreement = new Map<number, string[]>();
  for (const doc of sim.state.documents()) {
    const recordId = Number(doc.recordId);
    if (!wanted.has(recordId)) continue;
    const title = typeof doc.title === 'string' ? doc.title : '';
    const file = typeof doc.fileName === 'string' ? doc.fileName : '';
    if (!OUR_CSV_TITLE.test(title) || !OUR_CSV_FILE.test(file)) continue;
    byAgreement.set(recordId, [...(byAgreement.get(recordId) ?? []), title]);
  }
  return [...byAgreement].filter(([, titles]) => titles.length > 1).map(([agreementId, titles]) => ({ agreementId, titles }));
}
