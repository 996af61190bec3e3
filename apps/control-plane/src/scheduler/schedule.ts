import { DateTime } from 'luxon';
import { runDateOf } from '@cwx/domain';

/**
 * When things fire, as pure functions of a partner's state, its settings and `now`: the daily export
 * (what the scheduler starts and what the status page shows as the next export) and the report digests.
 * Every caller asks these functions; nothing else decides whether or when a partner is scheduled.
 */

export type IntegrationState = 'not_configured' | 'active' | 'needs_attention' | 'disabled';

/** What the daily export's schedule depends on. */
export interface ExportScheduleInput {
  state: IntegrationState;
  credentialsStored: boolean;
  /** The partner's export settings; undefined before step 2 of the wizard. */
  settings: { mode: 'manual' | 'daily'; dailyTime: string | null; timeZone: string } | undefined;
}

/** Why no daily export will fire. */
export const NOT_SCHEDULED_REASONS = [
  'disabled',
  'needs_attention',
  'not_configured',
  'no_credentials',
  'no_settings',
  'manual',
  'unknown_time_zone',
] as const;
export type NotScheduledReason = (typeof NOT_SCHEDULED_REASONS)[number];

export interface ScheduledInstant {
  /** ISO-8601 with the partner's offset, e.g. `2026-11-27T02:00:00.000+01:00`. */
  local: string;
  utc: string;
  timeZone: string;
  /** The partner's local date the run belongs to (with the partner, the key that makes "daily" fire once). */
  localDate: string;
}

export type ExportSchedule =
  | {
      scheduled: true;
      /** The first daily time strictly after `now`: what the status page shows. */
      next: ScheduledInstant;
      /**
       * Today's run (local date of `now`) once its time has passed: what the scheduler starts. A run is
       * keyed by (partner, local date), so it starts once, also when the control plane ticks late.
       */
      due: ScheduledInstant | null;
    }
  | { scheduled: false; reason: NotScheduledReason };

/**
 * The daily export of one partner at `now`. Only an active integration with stored credentials in daily
 * mode is scheduled: a partner that needs attention (ConnectWise refused its keys) is not, until it
 * enters credentials again. On a day when the local time does not exist (spring forward) it moves
 * forward by the gap; when it exists twice (fall back), the first is used.
 */
export function exportSchedule(input: ExportScheduleInput, now: Date): ExportSchedule {
  if (input.state !== 'active') return { scheduled: false, reason: input.state };
  if (!input.credentialsStored) return { scheduled: false, reason: 'no_credentials' };
  const { settings } = input;
  if (!settings) return { scheduled: false, reason: 'no_settings' };
  if (settings.mode !== 'daily' || !settings.dailyTime) return { scheduled: false, reason: 'manual' };
  const localNow = DateTime.fromJSDate(now, { zone: settings.timeZone });
  if (!localNow.isValid) return { scheduled: false, reason: 'unknown_time_zone' };
  const [hour, minute] = settings.dailyTime.split(':').map(Number);
  const at = (day: DateTime) => day.set({ hour, minute, second: 0, millisecond: 0 });
  const today = at(localNow);
  const passed = today.toMillis() <= localNow.toMillis();
  const instant = (t: DateTime): ScheduledInstant => ({
    local: t.toISO() ?? '',
    utc: t.toUTC().toISO() ?? '',
    timeZone: settings.timeZone,
    // The run's date as every run dates itself: the local date of the instant it is scheduled for.
    localDate: runDateOf({ createdAt: t.toJSDate() }, settings.timeZone),
  });
  return {
    scheduled: true,
    next: instant(passed ? at(localNow.plus({ days: 1 })) : today),
    due: passed ? instant(today) : null,
  };
}

/** True when `timeZone` is an IANA zone luxon knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  return DateTime.local({ zone: timeZone }).isValid;
}

export type DigestCadence = 'every_run' | 'daily_digest' | 'weekly_digest';

/** What a partner's report digest depends on. */
export interface DigestScheduleInput {
  state: IntegrationState;
  cadence: DigestCadence;
  /** When the partner chose this cadence: a period that ended before is not reported. */
  cadenceSince: Date;
  /** The export settings' zone; UTC without settings or when the zone is unknown. */
  timeZone: string | null;
}

export interface DigestPeriod {
  key: string;
  label: string;
  from: Date;
  to: Date;
}

export type DigestSchedule =
  | { due: true; period: DigestPeriod }
  | { due: false; reason: 'every_run' | 'disabled' | 'chosen_after_period' };

/**
 * The digest due at `now`: the last complete day or ISO week in the partner's zone, once per period
 * (the notification is keyed by the period). A disabled integration gets none; one that needs attention
 * still does (its partner should hear about the failed runs).
 */
export function digestSchedule(input: DigestScheduleInput, now: Date): DigestSchedule {
  if (input.cadence === 'every_run') return { due: false, reason: 'every_run' };
  if (input.state === 'disabled') return { due: false, reason: 'disabled' };
  const period = digestPeriod(input.cadence === 'weekly_digest' ? 'weekly' : 'daily', now, input.timeZone ?? 'UTC');
  if (period.to <= input.cadenceSince) return { due: false, reason: 'chosen_after_period' };
  return { due: true, period };
}

/** The last complete day or ISO week before `now`, in the partner's zone. */
export function digestPeriod(kind: 'daily' | 'weekly', now: Date, zone: string): DigestPeriod {
  const local = DateTime.fromJSDate(now, { zone });
  const safe = local.isValid ? local : DateTime.fromJSDate(now, { zone: 'UTC' });
  if (kind === 'daily') {
    const to = safe.startOf('day');
    const from = to.minus({ days: 1 });
    const day = from.toISODate() as string;
    return { key: `daily:${day}`, label: `daily digest for ${day}`, from: from.toJSDate(), to: to.toJSDate() };
  }
  const to = safe.startOf('week');
  const from = to.minus({ weeks: 1 });
  const week = from.toFormat("kkkk-'W'WW");
  return { key: `weekly:${week}`, label: `weekly digest for ${week}`, from: from.toJSDate(), to: to.toJSDate() };
}
