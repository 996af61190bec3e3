/**
 * The partner's review policy: which classes of change reach ConnectWise by themselves and which wait for a
 * person, what a hand edit in ConnectWise gets, and how new lines and quantity changes are dated.
 */

/** The classes of change a plan can make to one SKU's line. */
export type ChangeClass = 'new-line' | 'increase' | 'decrease' | 'cancellation' | 'price-change';
export const CHANGE_CLASSES: readonly ChangeClass[] = ['new-line', 'increase', 'decrease', 'cancellation', 'price-change'];

/** `apply`: written by the run; `review`: put in the queue until someone approves, adjusts or dismisses it. */
export type ClassRule = 'apply' | 'review';

/**
 * One of our lines differs from what we last wrote (someone edited it in ConnectWise): `overwrite` writes the
 * platform's value over it (the behaviour before review existed); `keep` leaves their edit and queues our change.
 */
export type EditedLinePolicy = 'overwrite' | 'keep';

/**
 * A quantity change on an agreement that prorates: `in-place` patches the line's quantity (ConnectWise bills the
 * new quantity for the whole period); `end-and-start` cancels the line on the change date and starts a new one
 * on that date, so each part of the period is billed at its own quantity.
 */
export type QuantityChangeMode = 'in-place' | 'end-and-start';

/** A new line's effective date: the day the platform's subscription started (when the platform says), else the day the change was seen. */
export type NewLineStart = 'subscription-start' | 'day-seen';

export interface ReviewPolicy {
  rules: Record<ChangeClass, ClassRule>;
  /**
   * Price changes of at most this many percent (of the line's current unit price) apply even when the
   * `price-change` rule is `review`; larger ones wait. 0: every price change waits.
   */
  priceThresholdPercent: number;
  editedLines: EditedLinePolicy;
  quantityChange: QuantityChangeMode;
  newLineStart: NewLineStart;
}

const DATING = { quantityChange: 'in-place', newLineStart: 'subscription-start' } as const;

/** The recommended policy: increases and new lines apply; decreases, cancellations and price changes over 5 % wait; hand edits are kept. */
export const RECOMMENDED_REVIEW_POLICY: Readonly<ReviewPolicy> = Object.freeze({
  rules: Object.freeze({ 'new-line': 'apply', increase: 'apply', decrease: 'review', cancellation: 'review', 'price-change': 'review' }),
  priceThresholdPercent: 5,
  editedLines: 'keep',
  ...DATING,
});

/** Nothing waits, hand edits are overwritten: what the export did before review existed, and what a partner without a stored policy gets. */
export const NOTHING_WAITS_POLICY: Readonly<ReviewPolicy> = Object.freeze({
  rules: Object.freeze({ 'new-line': 'apply', increase: 'apply', decrease: 'apply', cancellation: 'apply', 'price-change': 'apply' }),
  priceThresholdPercent: 0,
  editedLines: 'overwrite',
  ...DATING,
});

/** Every change waits for a person, hand edits included. */
export const EVERYTHING_WAITS_POLICY: Readonly<ReviewPolicy> = Object.freeze({
  rules: Object.freeze({ 'new-line': 'review', increase: 'review', decrease: 'review', cancellation: 'review', 'price-change': 'review' }),
  priceThresholdPercent: 0,
  editedLines: 'keep',
  ...DATING,
});

export type ReviewPreset = 'recommended' | 'nothing-waits' | 'everything-waits';
export const REVIEW_PRESETS: Readonly<Record<ReviewPreset, Readonly<ReviewPolicy>>> = Object.freeze({
  recommended: RECOMMENDED_REVIEW_POLICY,
  'nothing-waits': NOTHING_WAITS_POLICY,
  'everything-waits': EVERYTHING_WAITS_POLICY,
});

/** Why a policy is unusable, or undefined when it is fine. */
export function reviewPolicyProblem(policy: ReviewPolicy): string | undefined {
  for (const cls of CHANGE_CLASSES) {
    const rule = policy.rules?.[cls];
    if (rule !== 'apply' && rule !== 'review') return `rules.${cls} must be "apply" or "review"`;
  }
  const n = policy.priceThresholdPercent;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 1000) return 'priceThresholdPercent must be a number from 0 to 1000';
  if (policy.editedLines !== 'overwrite' && policy.editedLines !== 'keep') return 'editedLines must be "overwrite" or "keep"';
  if (policy.quantityChange !== 'in-place' && policy.quantityChange !== 'end-and-start') return 'quantityChange must be "in-place" or "end-and-start"';
  if (policy.newLineStart !== 'subscription-start' && policy.newLineStart !== 'day-seen') return 'newLineStart must be "subscription-start" or "day-seen"';
  return undefined;
}
