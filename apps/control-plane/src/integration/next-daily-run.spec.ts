import { isKnownTimeZone, nextDailyRun } from './next-daily-run';

describe('nextDailyRun', () => {
  it.each([
    // now (UTC)                 time     zone                 expected UTC               local date
    ['2026-11-26T10:00:00Z', '02:00', 'Europe/Amsterdam', '2026-11-27T01:00:00.000Z', '2026-11-27'],
    ['2026-11-26T00:30:00Z', '02:00', 'Europe/Amsterdam', '2026-11-26T01:00:00.000Z', '2026-11-26'],
    ['2026-11-26T01:00:00Z', '02:00', 'Europe/Amsterdam', '2026-11-27T01:00:00.000Z', '2026-11-27'],
    ['2026-11-26T23:30:00Z', '06:00', 'America/New_York', '2026-11-27T11:00:00.000Z', '2026-11-27'],
    ['2026-11-26T18:00:00Z', '05:00', 'Asia/Tokyo', '2026-11-26T20:00:00.000Z', '2026-11-27'],
    // spring forward in Amsterdam: 02:30 does not exist on 2026-03-29; luxon moves it to 03:30 CEST
    ['2026-03-28T12:00:00Z', '02:30', 'Europe/Amsterdam', '2026-03-29T01:30:00.000Z', '2026-03-29'],
  ])('from %s at %s in %s → %s', (now, time, timeZone, utc, localDate) => {
    const next = nextDailyRun({ time, timeZone }, new Date(now));
    expect(next.utc).toBe(utc);
    expect(next.localDate).toBe(localDate);
  });

  it('knows IANA zones and refuses others', () => {
    expect(isKnownTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
