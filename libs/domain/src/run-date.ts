import { DateTime } from 'luxon';

/**
 * The run's calendar date in the partner's time zone, `YYYY-MM-DD`: the effective and cancel date of its writes.
 * A scheduled run keeps the local date it was scheduled for; any other run (and a preview, or an agreement created
 * now, which pass `createdAt: new Date()`) takes the local date of its creation. An unknown time zone reads as UTC.
 */
export function runDateOf(run: { scheduledForDate?: string | null; createdAt: Date }, timeZone: string | undefined): string {
  if (run.scheduledForDate) return run.scheduledForDate;
  return DateTime.fromJSDate(run.createdAt, { zone: timeZone ?? 'UTC' }).toISODate() ?? run.createdAt.toISOString().slice(0, 10);
}
