import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { and, asc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { ControlPlaneConfig, NotificationsConfig } from '@cwx/config';
import { CredentialsCipher, exportSettings, integrations, notificationDeliveries, notifications, notificationSettings, type Database } from '@cwx/persistence';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { InjectDatabase } from '../database/database.module';
import { MailChannel, notificationsConfigOf, WebhookChannel, type AttemptOutcome } from './channels';
import { NotificationContent, type NotificationRow } from './notification-content';
import { webhookSecretAad } from './notification-settings.use-cases';
import { NotificationTriggers } from './notification-triggers';

const BATCH = 16;
const DIGEST_CHECK_MS = 60_000;

/**
 * Delivers the notification outbox. A pass claims due rows with `FOR UPDATE SKIP LOCKED` and leases
 * them (attempt counted, next attempt pushed past the send timeout) in a short transaction, sends
 * outside any transaction, then records the attempt: sent, retried later with exponential backoff, or
 * failed after the last attempt. Several replicas share the work; the export never waits on it.
 * A replica that dies mid-send leaves the lease to expire and the row is sent again (the receiver sees
 * the same X-Cwx-Delivery id): at-least-once delivery of notifications created exactly once.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationDispatcher');
  private readonly settings: NotificationsConfig;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private pass?: Promise<unknown>;
  private lastDigestCheck = 0;

  constructor(
    @InjectDatabase() private readonly db: Database,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
    private readonly content: NotificationContent,
    private readonly mail: MailChannel,
    private readonly webhook: WebhookChannel,
    private readonly cipher: CredentialsCipher,
    private readonly triggers: NotificationTriggers,
  ) {
    this.settings = notificationsConfigOf(config);
  }

  onApplicationBootstrap(): void {
    if (!this.settings.dispatcher) return;
    this.logger.log({ mail: this.mail.describe() }, 'notification dispatcher started');
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      let sent = 0;
      try {
        if (Date.now() - this.lastDigestCheck >= DIGEST_CHECK_MS) {
          this.lastDigestCheck = Date.now();
          this.pass = this.enqueueDigests(new Date());
          await this.pass;
        }
        const pass = this.dispatchDue();
        this.pass = pass;
        sent = await pass;
      } catch (error) {
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'notification pass failed; retrying');
      }
      if (!this.stopped) this.timer = setTimeout(() => void loop(), sent >= BATCH ? 0 : this.settings.pollIntervalMs);
    };
    void loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass?.catch(() => undefined);
  }

  /** One pass: claims, sends and records up to a batch of due notifications; returns how many. */
  async dispatchDue(now = new Date()): Promise<number> {
    const claimed = await this.claim(now);
    await Promise.all(claimed.map((row) => this.deliver(row)));
    return claimed.length;
  }

  /** Where e-mail goes (an SMTP host or a folder of .eml files). */
  mailDestination(): string {
    return this.mail.describe();
  }

  private async claim(now: Date): Promise<NotificationRow[]> {
    const leaseUntil = new Date(now.getTime() + this.settings.timeoutMs * 2 + 30_000);
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(notifications)
        .where(and(eq(notifications.status, 'pending'), lte(notifications.nextAttemptAt, now)))
        .orderBy(asc(notifications.nextAttemptAt), asc(notifications.id))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return [];
      await tx
        .update(notifications)
        .set({ attempts: sql`${notifications.attempts} + 1`, nextAttemptAt: leaseUntil })
        .where(inArray(notifications.id, rows.map((r) => r.id)));
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  private async deliver(row: NotificationRow): Promise<void> {
    const started = Date.now();
    let outcome: AttemptOutcome;
    try {
      const [integration] = await this.db.select({ state: integrations.state }).from(integrations).where(eq(integrations.partnerId, row.partnerId));
      if (!integration || integration.state === 'disabled') {
        await this.suppress(row, 'the integration is disabled');
        return;
      }
      const built = await this.content.build(row);
      if (row.channel === 'email') {
        outcome = await this.mail.send({ to: row.recipients, notificationId: row.id, ...built.email });
        if (outcome.file) this.logger.log({ notificationId: row.id, event: row.event, file: outcome.file }, 'e-mail written');
      } else {
        const secret = await this.webhookSecret(row.partnerId);
        if (!secret) {
          await this.suppress(row, 'the webhook was removed');
          return;
        }
        outcome = await this.webhook.send({ url: row.recipients[0], secret, event: row.event, notificationId: row.id, body: built.webhook });
      }
    } catch (error) {
      outcome = { ok: false, statusCode: null, error: `could not prepare the notification: ${error instanceof Error ? error.message : String(error)}` };
    }
    await this.record(row, outcome, Date.now() - started);
  }

  private async record(row: NotificationRow, outcome: AttemptOutcome, durationMs: number): Promise<void> {
    const now = new Date();
    const last = row.attempts >= this.settings.maxAttempts;
    const next = outcome.ok
      ? { status: 'sent' as const, sentAt: now }
      : last
        ? { status: 'failed' as const }
        : { nextAttemptAt: new Date(now.getTime() + this.settings.retryBaseMs * 2 ** (row.attempts - 1)) };
    await this.db.transaction(async (tx) => {
      await tx
        .insert(notificationDeliveries)
        .values({
          notificationId: row.id,
          partnerId: row.partnerId,
          attempt: row.attempts,
          ok: outcome.ok,
          statusCode: outcome.statusCode,
          error: outcome.error,
          durationMs,
        })
        .onConflictDoNothing();
      // Only the holder of this attempt's lease records it.
      await tx
        .update(notifications)
        .set({ ...next, lastStatusCode: outcome.statusCode, lastError: outcome.error })
        .where(and(eq(notifications.id, row.id), eq(notifications.attempts, row.attempts), eq(notifications.status, 'pending')));
    });
    if (!outcome.ok) {
      this.logger.warn(
        { notificationId: row.id, event: row.event, channel: row.channel, attempt: row.attempts, statusCode: outcome.statusCode, error: outcome.error, final: last },
        last ? 'notification failed for good' : 'notification attempt failed; will retry',
      );
    }
  }

  private async suppress(row: NotificationRow, reason: string): Promise<void> {
    await this.db
      .update(notifications)
      .set({ status: 'suppressed', lastError: reason })
      .where(and(eq(notifications.id, row.id), eq(notifications.attempts, row.attempts), eq(notifications.status, 'pending')));
  }

  private async webhookSecret(partnerId: string): Promise<string | undefined> {
    const [s] = await this.db.select().from(notificationSettings).where(eq(notificationSettings.partnerId, partnerId));
    if (!s?.webhookSecretCiphertext || !s.webhookSecretIv || !s.webhookSecretTag || !s.webhookSecretKeyId) return undefined;
    return this.cipher.open(
      { ciphertext: s.webhookSecretCiphertext, iv: s.webhookSecretIv, tag: s.webhookSecretTag, keyId: s.webhookSecretKeyId },
      webhookSecretAad(partnerId),
    );
  }

  /**
   * Daily and weekly digests: for each partner on such a cadence, the period that ended last (in the
   * partner's time zone) gets its digest once, whichever replica gets there first.
   */
  async enqueueDigests(now: Date): Promise<number> {
    const rows = await this.db
      .select({ partnerId: notificationSettings.partnerId, cadence: notificationSettings.cadence, updatedAt: notificationSettings.updatedAt, timeZone: exportSettings.timeZone })
      .from(notificationSettings)
      .innerJoin(integrations, eq(integrations.partnerId, notificationSettings.partnerId))
      .leftJoin(exportSettings, eq(exportSettings.partnerId, notificationSettings.partnerId))
      .where(and(ne(notificationSettings.cadence, 'every_run'), ne(integrations.state, 'disabled')));
    let enqueued = 0;
    for (const row of rows) {
      const period = digestPeriod(row.cadence === 'weekly_digest' ? 'weekly' : 'daily', now, row.timeZone ?? 'UTC');
      // A period that ended before the partner chose this cadence is not reported.
      if (period.to <= row.updatedAt) continue;
      if (await this.db.transaction((tx) => this.triggers.digestDue(tx, row.partnerId, period))) enqueued += 1;
    }
    return enqueued;
  }
}

/** The last complete day or ISO week before `now`, in the partner's zone. */
export function digestPeriod(kind: 'daily' | 'weekly', now: Date, zone: string): { key: string; label: string; from: Date; to: Date } {
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
