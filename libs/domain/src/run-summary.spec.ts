import { DomainError } from './errors';
import { type AccountResultStatus, type RunSummary, summariseRun } from './run-summary';

const results = (...statuses: AccountResultStatus[]) => statuses.map((status) => ({ status }));

describe('summariseRun', () => {
  it.each<{ label: string; statuses: AccountResultStatus[]; expected: number; summary: RunSummary }>([
    {
      label: 'all accounts done, some changed',
      statuses: ['changed', 'unchanged', 'changed'],
      expected: 3,
      summary: { examined: 3, changed: 2, unchanged: 1, failed: 0, skipped: 0, missing: 0, complete: true, status: 'succeeded' },
    },
    {
      label: 'all unchanged is still a success',
      statuses: ['unchanged', 'unchanged'],
      expected: 2,
      summary: { examined: 2, changed: 0, unchanged: 2, failed: 0, skipped: 0, missing: 0, complete: true, status: 'succeeded' },
    },
    {
      label: 'one failed among successes',
      statuses: ['changed', 'failed', 'unchanged'],
      expected: 3,
      summary: { examined: 3, changed: 1, unchanged: 1, failed: 1, skipped: 0, missing: 0, complete: true, status: 'partially_failed' },
    },
    {
      label: 'every account failed',
      statuses: ['failed', 'failed'],
      expected: 2,
      summary: { examined: 2, changed: 0, unchanged: 0, failed: 2, skipped: 0, missing: 0, complete: true, status: 'failed' },
    },
    {
      label: 'no accounts to export',
      statuses: [],
      expected: 0,
      summary: { examined: 0, changed: 0, unchanged: 0, failed: 0, skipped: 0, missing: 0, complete: true, status: 'nothing_to_export' },
    },
    {
      label: 'every account skipped: examined nothing, never a success',
      statuses: ['skipped', 'skipped'],
      expected: 2,
      summary: { examined: 0, changed: 0, unchanged: 0, failed: 0, skipped: 2, missing: 0, complete: true, status: 'nothing_to_export' },
    },
    {
      label: 'results missing for expected accounts: incomplete, counted against the run',
      statuses: ['changed', 'unchanged'],
      expected: 5,
      summary: { examined: 2, changed: 1, unchanged: 1, failed: 0, skipped: 0, missing: 3, complete: false, status: 'partially_failed' },
    },
    {
      label: 'accounts expected, no result at all: failed, not "nothing to export"',
      statuses: [],
      expected: 4,
      summary: { examined: 0, changed: 0, unchanged: 0, failed: 0, skipped: 0, missing: 4, complete: false, status: 'failed' },
    },
    {
      label: 'skipped and missing only: failed',
      statuses: ['skipped'],
      expected: 2,
      summary: { examined: 0, changed: 0, unchanged: 0, failed: 0, skipped: 1, missing: 1, complete: false, status: 'failed' },
    },
    {
      label: 'a skipped account beside successes',
      statuses: ['skipped', 'changed'],
      expected: 2,
      summary: { examined: 1, changed: 1, unchanged: 0, failed: 0, skipped: 1, missing: 0, complete: true, status: 'succeeded' },
    },
  ])('$label → $summary.status', ({ statuses, expected, summary }) => {
    expect(summariseRun(results(...statuses), expected)).toEqual(summary);
  });

  it.each([-1, 1.5, Number.NaN])('refuses an expected count of %p', (expected) => {
    expect(() => summariseRun([], expected)).toThrow(DomainError);
  });
});
