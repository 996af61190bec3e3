import { DateTime } from 'luxon';

export interface DailySchedule {
  /** `HH:MM`, local to `timeZone`. */
  time: string;
  /** IANA time zone, e.g. `Europe/Amsterdam`. */
  timeZone: string;
}

export interface ScheduledInstant {
  /** ISO-8601 with the partner's offset, e.g. `2026-11-27T02:00:00.000+01:00`. */
  local: string;
  utc: string;
  /** The partner's local date the run belongs to (the key that makes "daily" fire once). */
  localDate: string;
}

/**
 * The first daily run strictly after `now`. On a day when the local time does not exist (spring
 * forward), luxon moves it forward by the gap; when it exists twice (fall back), the first is used.
 */
export function nextDailyRun(schedule: DailySchedule, now: Date): ScheduledInstant {
  const [hour, minute] = schedule.time.split(':').map(Number);
  const localNow = DateTime.fromJSDate(now, { zone: schedule.timeZone });
  if (!localNow.isValid) throw new Error(`unknown time zone ${schedule.timeZone}`);
  let candidate = localNow.set({ hour, minute, second: 0, millisecond: 0 });
  if (candidate.toMillis() <= localNow.toMillis()) {
    candidate = localNow.plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 });
  }
  return {
    local: candidate.toISO() ?? '',
    utc: candidate.toUTC().toISO() ?? '',
    localDate: candidate.toISODate() ?? '',
  };
}

/** True when `timeZone` is an IANA zone luxon knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  return DateTime.local({ zone: timeZone }).isValid;
}
