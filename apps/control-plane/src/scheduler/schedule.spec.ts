import { digestPeriod, digestSchedule, exportSchedule, isKnownTimeZone, type ExportScheduleInput } from './schedule';

const daily = (dailyTime: string, timeZone: string): ExportScheduleInput['settings'] => ({ mode: 'daily', dailyTime, timeZone });
const active = (settings: ExportScheduleInput['settings']): ExportScheduleInput => ({ state: 'active', credentialsStored: true, settings });

describe('exportSchedule', () => {
  it.each([
    // now (UTC)                 time     zone                 next (UTC)                 next local date  due local date
    ['2026-11-26T10:00:00Z', '02:00', 'Europe/Amsterdam', '2026-11-27T01:00:00.000Z', '2026-11-27', '2026-11-26'],
    ['2026-11-26T00:30:00Z', '02:00', 'Europe/Amsterdam', '2026-11-26T01:00:00.000Z', '2026-11-26', null],
    // exactly at the daily time: today's run is due, the next is tomorrow's
    ['2026-11-26T01:00:00Z', '02:00', 'Europe/Amsterdam', '2026-11-27T01:00:00.000Z', '2026-11-27', '2026-11-26'],
    // 23:30 UTC is already the next local day in Amsterdam, before its daily time
    ['2026-11-26T23:30:00Z', '02:00', 'Europe/Amsterdam', '2026-11-27T01:00:00.000Z', '2026-11-27', null],
    ['2026-11-26T23:30:00Z', '06:00', 'America/New_York', '2026-11-27T11:00:00.000Z', '2026-11-27', '2026-11-26'],
    ['2026-11-26T18:00:00Z', '05:00', 'Asia/Tokyo', '2026-11-26T20:00:00.000Z', '2026-11-27', null],
    // spring forward in Amsterdam: 02:30 does not exist on 2026-03-29; it moves to 03:30 CEST
    ['2026-03-28T12:00:00Z', '02:30', 'Europe/Amsterdam', '2026-03-29T01:30:00.000Z', '2026-03-29', '2026-03-28'],
  ])('from %s at %s in %s: next %s (%s), due %s', (now, time, timeZone, utc, localDate, dueDate) => {
    const schedule = exportSchedule(active(daily(time, timeZone)), new Date(now));
    if (!schedule.scheduled) throw new Error(`not scheduled: ${schedule.reason}`);
    expect(schedule.next).toMatchObject({ utc, localDate, timeZone });
    expect(schedule.due?.localDate ?? null).toBe(dueDate);
  });

  it('gives the next export with the partner offset', () => {
    const schedule = exportSchedule(active(daily('02:30', 'Europe/Amsterdam')), new Date('2026-11-26T10:00:00Z'));
    expect(schedule).toMatchObject({ scheduled: true, next: { local: '2026-11-27T02:30:00.000+01:00' } });
  });

  it.each<[string, ExportScheduleInput, string]>([
    ['a partner that needs attention', { state: 'needs_attention', credentialsStored: true, settings: daily('02:00', 'UTC') }, 'needs_attention'],
    ['a disabled integration', { state: 'disabled', credentialsStored: false, settings: daily('02:00', 'UTC') }, 'disabled'],
    ['an integration not configured yet', { state: 'not_configured', credentialsStored: false, settings: daily('02:00', 'UTC') }, 'not_configured'],
    ['an active integration without credentials', { state: 'active', credentialsStored: false, settings: daily('02:00', 'UTC') }, 'no_credentials'],
    ['no settings yet', { state: 'active', credentialsStored: true, settings: undefined }, 'no_settings'],
    ['manual mode', active({ mode: 'manual', dailyTime: '02:00', timeZone: 'UTC' }), 'manual'],
    ['daily mode without a time', active({ mode: 'daily', dailyTime: null, timeZone: 'UTC' }), 'manual'],
    ['an unknown time zone', active(daily('02:00', 'Mars/Olympus')), 'unknown_time_zone'],
  ])('%s: nothing fires and nothing is shown (%s)', (_name, input, reason) => {
    // Well past the daily time: were it scheduled, a run would be due.
    expect(exportSchedule(input, new Date('2026-11-26T10:00:00Z'))).toEqual({ scheduled: false, reason });
  });

  it('knows IANA zones and refuses others', () => {
    expect(isKnownTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('digestSchedule', () => {
  const now = new Date('2026-03-10T00:30:00Z');
  const since = new Date('2026-03-01T00:00:00Z');

  it.each<[string, Parameters<typeof digestSchedule>[0], string | null]>([
    ['daily, active', { state: 'active', cadence: 'daily_digest', cadenceSince: since, timeZone: 'Europe/Amsterdam' }, 'daily:2026-03-09'],
    ['daily, needs attention: still reported', { state: 'needs_attention', cadence: 'daily_digest', cadenceSince: since, timeZone: 'Europe/Amsterdam' }, 'daily:2026-03-09'],
    ['daily, without export settings: UTC', { state: 'active', cadence: 'daily_digest', cadenceSince: since, timeZone: null }, 'daily:2026-03-09'],
    ['weekly', { state: 'active', cadence: 'weekly_digest', cadenceSince: since, timeZone: 'UTC' }, 'weekly:2026-W10'],
    ['every run: no digest', { state: 'active', cadence: 'every_run', cadenceSince: since, timeZone: 'UTC' }, null],
    ['disabled: no digest', { state: 'disabled', cadence: 'daily_digest', cadenceSince: since, timeZone: 'UTC' }, null],
    [
      'cadence chosen after the period ended: no digest',
      { state: 'active', cadence: 'daily_digest', cadenceSince: new Date('2026-03-09T23:10:00Z'), timeZone: 'Europe/Amsterdam' },
      null,
    ],
  ])('%s', (_name, input, key) => {
    const schedule = digestSchedule(input, now);
    expect(schedule.due ? schedule.period.key : null).toBe(key);
  });

  it('names why no digest is due', () => {
    expect(digestSchedule({ state: 'disabled', cadence: 'weekly_digest', cadenceSince: since, timeZone: 'UTC' }, now)).toEqual({ due: false, reason: 'disabled' });
    expect(digestSchedule({ state: 'active', cadence: 'every_run', cadenceSince: since, timeZone: 'UTC' }, now)).toEqual({ due: false, reason: 'every_run' });
  });
});

describe('digestPeriod', () => {
  it('daily: the previous local day', () => {
    const p = digestPeriod('daily', new Date('2026-03-10T00:30:00Z'), 'Europe/Amsterdam');
    expect(p.key).toBe('daily:2026-03-09');
    expect(p.from.toISOString()).toBe('2026-03-08T23:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-03-09T23:00:00.000Z');
  });

  it('weekly: the previous ISO week; an unknown zone falls back to UTC', () => {
    const p = digestPeriod('weekly', new Date('2026-03-11T12:00:00Z'), 'Not/AZone');
    expect(p.key).toBe('weekly:2026-W10');
    expect(p.from.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });
});
