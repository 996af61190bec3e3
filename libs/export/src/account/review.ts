/**
 * The account job's review: the plan's writes through the partner's review policy and the dating step, the
 * queue recorded, and — after the writes — approved changes marked applied and what we wrote recorded.
 * Rules: libs/domain/README.md, "Review and dating".
 */
import type { ConnectWiseClient } from '@cwx/connectwise';
import {
  type AccountPlan,
  type ActualAddition,
  datePlan,
  type EditedLine,
  type OwnershipRecord,
  type ReviewPolicy,
  reviewPlan,
  type WrittenLine,
  writtenLineOf,
} from '@cwx/domain';
import { guardStore } from '../shared/guards';
import type { ReviewStore } from '../stores/stores';
import type { AccountResult } from '../types';
import type { AccountRunInput } from './account-exporter';

export interface AccountReview {
  plan: AccountPlan;
  /** After the writes: approved changes marked applied, what we wrote (and lines we hold without a record) recorded. */
  settle(written: readonly WrittenLine[]): Promise<void>;
}

export async function reviewAccountPlan(
  connectwise: ConnectWiseClient,
  args: {
    input: AccountRunInput;
    plan: AccountPlan;
    actual: readonly ActualAddition[];
    ownership: readonly OwnershipRecord[];
    review: { policy: ReviewPolicy; approvedOnly?: boolean; store: ReviewStore };
    dryRun: boolean;
    result: AccountResult;
  },
): Promise<AccountReview> {
  const { input, plan, actual, ownership, review, dryRun, result } = args;
  const { partnerId, agreementId, settings } = input;
  const { policy, store } = review;
  const state = await guardStore('load the review queue', () => store.state(partnerId, agreementId));
  const reviewed = reviewPlan({ plan, actual, ownership, settings, policy, decisions: state.decisions, written: state.written, approvedOnly: review.approvedOnly });
  const dating = { actual, policy, runDate: input.runDate, firstSeen: state.firstSeen, effectiveDates: reviewed.effectiveDates };
  let dated = datePlan({ ...dating, plan: reviewed.plan, agreementProrates: false });
  // The agreement's prorate setting is read only when it matters (a quantity change under end-and-start): an unchanged run makes no extra call.
  const quantityChange = reviewed.plan.operations.some((op) => op.kind === 'update' && !op.reactivates && op.changes.some((c) => c.field === 'quantity'));
  if (policy.quantityChange === 'end-and-start' && quantityChange) {
    const agreement = await connectwise.agreements.get(agreementId);
    if (agreement.prorateFlag === true) dated = datePlan({ ...dating, plan: reviewed.plan, agreementProrates: true });
  }

  for (const line of reviewed.edited) result.warnings.push({ code: 'edited-in-connectwise', sku: line.sku, message: editedMessage(line, policy) });
  if (reviewed.pending.length > 0) {
    const amount = reviewed.pending.reduce((sum, c) => sum + (c.monthlyAmount ?? 0), 0);
    result.warnings.push({
      code: 'changes-waiting',
      message: `${reviewed.pending.length} change(s) wait for review (${reviewed.pending.map((c) => c.sku).join(', ')}; monthly amount ${signed(amount)}).`,
    });
  }
  result.review = {
    pending: reviewed.pending.length,
    pendingMonthlyAmount: Math.round(reviewed.pending.reduce((sum, c) => sum + (c.monthlyAmount ?? 0), 0) * 100) / 100,
    edited: reviewed.edited.length,
    approvedApplied: dryRun ? 0 : reviewed.approved.length,
  };

  if (!dryRun) {
    await guardStore('record the review queue', () =>
      store.recordQueue(partnerId, { accountId: input.accountId, accountName: input.accountName, agreementId, runId: input.runId, seenOn: input.runDate, pending: reviewed.pending }),
    );
  }

  const plannedSkus = new Set(plan.operations.filter((op) => op.kind !== 'adopt').map((op) => op.sku));
  return {
    plan: dated,
    settle: async (written) => {
      // Approved changes written now, and approved ones the line already holds (a redelivered job finds its writes done).
      const settled = [
        ...reviewed.approved.map(({ sku, fingerprint }) => ({ sku, fingerprint })),
        ...state.decisions.filter((d) => d.status === 'approved' && !plannedSkus.has(d.sku)).map(({ sku, fingerprint }) => ({ sku, fingerprint })),
      ];
      await guardStore('mark approved changes applied', () => store.markApplied(partnerId, agreementId, input.runId, settled));
      const recorded = new Set([...state.written.map((w) => w.additionId), ...written.map((w) => w.additionId)]);
      const additions = new Map(actual.map((a) => [a.id, a]));
      const owned = [...ownership.map((o) => o.additionId), ...plan.operations.flatMap((op) => (op.kind === 'adopt' ? [op.additionId] : []))];
      const baseline = [...new Set(owned)].filter((id) => !recorded.has(id) && additions.has(id)).map((id) => writtenLineOf(additions.get(id)!));
      await guardStore('record what was written', () => store.saveWritten(partnerId, agreementId, [...written, ...baseline]));
    },
  };
}

function editedMessage(line: EditedLine, policy: ReviewPolicy): string {
  const fields = line.fields.map((f) => `${f.field} ours ${f.ours ?? 'none'}, ConnectWise ${f.theirs ?? 'none'}`).join('; ');
  const what = policy.editedLines === 'keep' ? 'their edit is kept; our change, if any, waits for review' : 'overwritten with the platform value';
  return `Edited in ConnectWise: addition ${line.additionId} (${fields}); ${what}.`;
}

function signed(amount: number): string {
  return `${amount >= 0 ? '+' : '−'}${Math.abs(amount).toFixed(2)}`;
}
