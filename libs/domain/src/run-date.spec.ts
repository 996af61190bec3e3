import { runDateOf } from './run-date';

describe('runDateOf', () => {
  const lateEvening = new Date('2026-12-05T23:30:00Z');

  it.each([
    ['UTC', '2026-12-05'],
    ['Europe/Amsterdam', '2026-12-06'],
    ['America/Los_Angeles', '2026-12-05'],
    ['Pacific/Kiritimati', '2026-12-06'],
    [undefined, '2026-12-05'],
    ['Not/AZone', '2026-12-05'],
  ])('a run created at 23:30 UTC in %p is dated %s', (zone, expected) => {
    expect(runDateOf({ createdAt: lateEvening }, zone)).toBe(expected);
  });

  it("keeps a scheduled run's local date, whenever it was created", () => {
    expect(runDateOf({ scheduledForDate: '2026-12-04', createdAt: lateEvening }, 'Europe/Amsterdam')).toBe('2026-12-04');
  });

  it('dates a run without a scheduled date (null, as stored) by its creation', () => {
    expect(runDateOf({ scheduledForDate: null, createdAt: new Date('2026-12-06T02:00:00Z') }, 'America/New_York')).toBe('2026-12-05');
  });
});
