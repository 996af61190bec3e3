import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ControlPlaneConfig, NotificationsConfig } from '@cwx/config';
import { metrics, nestLogger } from '@cwx/observability';
import { CredentialsCipher } from '@cwx/persistence';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { Transactions } from '../database/database.module';
import { PartnersRepository } from '../partners/partners.repository';
import { digestSchedule } from '../scheduler/schedule';
import { ScheduleRepository } from '../scheduler/schedule.repository';
import { MailChannel, notificationsConfigOf, WebhookChannel, type AttemptOutcome } from './channels';
import { NotificationContent } from './notification-content';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { webhookSecretAad } from './notification-settings.use-cases';
import { NotificationTriggers } from './notification-triggers';
import { NotificationsRepository, type NotificationRow } from './notifications.repository';

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
  private readonly logger = nestLogger('NotificationDispatcher');
  private readonly settings: NotificationsConfig;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private pass?: Promise<unknown>;
  private lastDigestCheck = 0;

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly notificationSettings: NotificationSettingsRepository,
    private readonly partners: PartnersRepository,
    private readonly transactions: Transactions,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
    private readonly content: NotificationContent,
    private readonly mail: MailChannel,
    private readonly webhook: WebhookChannel,
    private readonly cipher: CredentialsCipher,
    private readonly triggers: NotificationTriggers,
    private readonly schedules: ScheduleRepository,
  ) {
    this.settings = notificationsConfigOf(config);
  }

  onApplicationBootstrap(): void {
    if (!this.settings.dispatcher) return;
    this.logger.info({ mail: this.mail.describe() }, 'notification dispatcher started');
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

  private claim(now: Date): Promise<NotificationRow[]> {
    return this.notifications.claim(now, new Date(now.getTime() + this.settings.timeoutMs * 2 + 30_000), BATCH);
  }

  private async deliver(row: NotificationRow): Promise<void> {
    const started = Date.now();
    let outcome: AttemptOutcome;
    try {
      const integration = await this.partners.findIntegration(row.partnerId);
      if (!integration || integration.state === 'disabled') {
        await this.suppress(row, 'the integration is disabled');
        return;
      }
      const built = await this.content.build(row);
      if (row.channel === 'email') {
        outcome = await this.mail.send({ to: row.recipients, notificationId: row.id, ...built.email });
        if (outcome.file) this.logger.info({ notificationId: row.id, event: row.event, file: outcome.file }, 'e-mail written');
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
    await this.notifications.record(row, { ok: outcome.ok, statusCode: outcome.statusCode, error: outcome.error, durationMs }, next);
    metrics.notificationAttempts.inc({ channel: row.channel, outcome: outcome.ok ? 'sent' : last ? 'failed' : 'retry' });
    if (!outcome.ok) {
      this.logger.warn(
        { notificationId: row.id, event: row.event, channel: row.channel, attempt: row.attempts, statusCode: outcome.statusCode, error: outcome.error, final: last },
        last ? 'notification failed for good' : 'notification attempt failed; will retry',
      );
    }
  }

  private async suppress(row: NotificationRow, reason: string): Promise<void> {
    await this.notifications.suppress(row, reason);
  }

  private async webhookSecret(partnerId: string): Promise<string | undefined> {
    const s = await this.notificationSettings.find(partnerId);
    if (!s?.webhookSecretCiphertext || !s.webhookSecretIv || !s.webhookSecretTag || !s.webhookSecretKeyId) return undefined;
    return this.cipher.open(
      { ciphertext: s.webhookSecretCiphertext, iv: s.webhookSecretIv, tag: s.webhookSecretTag, keyId: s.webhookSecretKeyId },
      webhookSecretAad(partnerId),
    );
  }

  /**
   * Daily and weekly digests: for each partner on such a cadence, the period that ended last (in the
   * partner's time zone, as `digestSchedule` says) gets its digest once, whichever replica gets there first.
   */
  async enqueueDigests(now: Date): Promise<number> {
    let enqueued = 0;
    for (const { partnerId, ...input } of await this.schedules.digestInputs()) {
      const schedule = digestSchedule(input, now);
      if (!schedule.due) continue;
      if (await this.transactions.run((tx) => this.triggers.digestDue(tx, partnerId, schedule.period))) enqueued += 1;
    }
    return enqueued;
  }
}
