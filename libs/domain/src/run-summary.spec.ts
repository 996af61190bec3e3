import { DomainError } from './errors';
import { type AccountResultStatus, type RunStatus, summariseRun } from './run-summary';

const C = 'changed';
const U = 'unchanged';
const F = 'failed';
const S = 'skipped';

type Row = [label: string, statuses: AccountResultStatus[], expected: number, counts: [examined: number, changed: number, unchanged: number, failed: number, skipped: number, missing: number], status: RunStatus];

// prettier-ignore
const table: Row[] = [
  // label                                                          results       expected  ex  ch  un  fa  sk  mi   status
  ['all accounts done, some changed',                               [C, U, C],    3,       [3,  2,  1,  0,  0,  0], 'succeeded'],
  ['all unchanged is still a success',                              [U, U],       2,       [2,  0,  2,  0,  0,  0], 'succeeded'],
  ['one failed among successes',                                    [C, F, U],    3,       [3,  1,  1,  1,  0,  0], 'partially_failed'],
  ['every account failed',                                          [F, F],       2,       [2,  0,  0,  2,  0,  0], 'failed'],
  ['no accounts to export',                                         [],           0,       [0,  0,  0,  0,  0,  0], 'nothing_to_export'],
  ['every account skipped: examined nothing, never a success',      [S, S],       2,       [0,  0,  0,  0,  2,  0], 'nothing_to_export'],
  ['results missing for expected accounts: counted against the run',[C, U],       5,       [2,  1,  1,  0,  0,  3], 'partially_failed'],
  ['accounts expected, no result at all: failed, not "nothing"',    [],           4,       [0,  0,  0,  0,  0,  4], 'failed'],
  ['skipped and missing only: failed',                              [S],          2,       [0,  0,  0,  0,  1,  1], 'failed'],
  ['a skipped account beside a success',                            [S, C],       2,       [1,  1,  0,  0,  1,  0], 'succeeded'],
];

describe('summariseRun', () => {
  it.each(table)('%s', (_label, statuses, expected, [examined, changed, unchanged, failed, skipped, missing], status) => {
    const summary = summariseRun(
      statuses.map((s) => ({ status: s })),
      expected,
    );

    expect(summary).toEqual({ examined, changed, unchanged, failed, skipped, missing, complete: missing === 0, status });
  });

  it.each([-1, 1.5, Number.NaN])('refuses an expected count of %p', (expected) => {
    expect(() => summariseRun([], expected)).toThrow(DomainError);
  });
});
