import { RUN_WINDOW, RUN_WINDOW_MAX, runWindowFor } from './run-window';

describe('runWindowFor (account jobs of one run in the queue at once)', () => {
  it.each([
    [1, RUN_WINDOW],
    [900, RUN_WINDOW], // the default budget: ConnectWise's usual limit
    [960, RUN_WINDOW],
    [961, 9],
    [5_700, 48],
    [7_680, RUN_WINDOW_MAX],
    [57_000, RUN_WINDOW_MAX],
  ])('budget %i a minute → %i', (budget, window) => {
    expect(runWindowFor(budget)).toBe(window);
  });
});
