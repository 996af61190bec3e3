import { Injectable } from '@nestjs/common';
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { CredentialsCipher, notificationDeliveries, notifications, notificationSettings, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
import { AppError, AppErrorCode } from '../http/app-error';
import type {
  NotificationPageResponseDto,
  NotificationSettingsResponseDto,
  SaveNotificationSettingsRequestDto,
} from './notifications.dto';

export type NotificationSettingsRow = typeof notificationSettings.$inferSelect;
type Values = Omit<NotificationSettingsRow, 'partnerId' | 'version' | 'updatedAt'>;

const DEFAULT_THRESHOLD = 3;

/** Additional data binding a webhook secret's ciphertext to its partner and its purpose. */
export function webhookSecretAad(partnerId: string): string {
  return `${partnerId}#webhook-secret`;
}

/** Plain http is accepted only for loopback receivers (tests, local mode). */
export function webhookUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return 'must use https (plain http only for a loopback address)';
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

@Injectable()
export class NotificationSettingsRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async find(partnerId: string): Promise<NotificationSettingsRow | undefined> {
    const [row] = await this.db.select().from(notificationSettings).where(eq(notificationSettings.partnerId, partnerId));
    return row;
  }

  /** The first version; undefined when another request inserted first. */
  async insert(partnerId: string, values: Values): Promise<NotificationSettingsRow | undefined> {
    const [row] = await this.db
      .insert(notificationSettings)
      .values({ partnerId, ...values, version: 1, updatedAt: new Date() })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  /** Compare-and-set on `version`; undefined when the stored version moved on. */
  async update(partnerId: string, expectedVersion: number, values: Partial<Values>): Promise<NotificationSettingsRow | undefined> {
    const [row] = await this.db
      .update(notificationSettings)
      .set({ ...values, version: sql`${notificationSettings.version} + 1`, updatedAt: new Date() })
      .where(and(eq(notificationSettings.partnerId, partnerId), eq(notificationSettings.version, expectedVersion)))
      .returning();
    return row;
  }
}

export function toNotificationSettingsResponse(row: NotificationSettingsRow | undefined, webhookSecret?: string): NotificationSettingsResponseDto {
  return {
    version: row?.version ?? 0,
    emailRecipients: row?.emailRecipients ?? [],
    webhookUrl: row?.webhookUrl ?? null,
    webhookSecretSet: Boolean(row?.webhookSecretCiphertext),
    ...(webhookSecret ? { webhookSecret } : {}),
    events: row?.events ?? [],
    cadence: row?.cadence ?? 'every_run',
    silentWhenUnchanged: row?.silentWhenUnchanged ?? true,
    failingRunsThreshold: row?.failingRunsThreshold ?? DEFAULT_THRESHOLD,
  };
}

@Injectable()
export class GetNotificationSettings {
  constructor(private readonly settings: NotificationSettingsRepository) {}

  async execute(command: { partnerId: string }): Promise<NotificationSettingsResponseDto> {
    return toNotificationSettingsResponse(await this.settings.find(command.partnerId));
  }
}

/**
 * Saves who hears about what. A webhook gets a secret generated here the first time its URL is set,
 * returned once in this answer and stored sealed with the credentials cipher; removing the URL removes
 * the secret. Optimistic versioning as for the export settings.
 */
@Injectable()
export class SaveNotificationSettings {
  constructor(
    private readonly settings: NotificationSettingsRepository,
    private readonly cipher: CredentialsCipher,
  ) {}

  async execute(command: { partnerId: string; request: SaveNotificationSettingsRequestDto }): Promise<NotificationSettingsResponseDto> {
    const { partnerId, request } = command;
    const webhookUrl = request.webhookUrl ?? null;
    const problem = webhookUrl === null ? undefined : webhookUrlProblem(webhookUrl);
    if (problem) {
      throw new AppError(AppErrorCode.ValidationFailed, `Invalid notification settings: webhookUrl ${problem}`, {
        fields: [{ field: 'webhookUrl', reason: problem }],
      });
    }
    const current = await this.settings.find(partnerId);
    let secret: string | undefined;
    let sealed: Pick<Values, 'webhookSecretCiphertext' | 'webhookSecretIv' | 'webhookSecretTag' | 'webhookSecretKeyId'>;
    if (webhookUrl === null) {
      sealed = { webhookSecretCiphertext: null, webhookSecretIv: null, webhookSecretTag: null, webhookSecretKeyId: null };
    } else if (current?.webhookSecretCiphertext) {
      sealed = {
        webhookSecretCiphertext: current.webhookSecretCiphertext,
        webhookSecretIv: current.webhookSecretIv,
        webhookSecretTag: current.webhookSecretTag,
        webhookSecretKeyId: current.webhookSecretKeyId,
      };
    } else {
      secret = newWebhookSecret();
      sealed = this.seal(partnerId, secret);
    }
    const values: Values = {
      emailRecipients: request.emailRecipients.map((e) => e.trim()),
      webhookUrl,
      ...sealed,
      events: request.events,
      cadence: request.cadence,
      silentWhenUnchanged: request.silentWhenUnchanged,
      failingRunsThreshold: request.failingRunsThreshold ?? DEFAULT_THRESHOLD,
    };
    const saved = current
      ? request.version === undefined
        ? undefined
        : await this.settings.update(partnerId, request.version, values)
      : await this.settings.insert(partnerId, values);
    if (!saved) throw await this.mismatch(partnerId, request.version);
    return toNotificationSettingsResponse(saved, secret);
  }

  /** A new secret replaces the old one at once; it is returned in this answer only. */
  async rotate(command: { partnerId: string; version: number }): Promise<NotificationSettingsResponseDto> {
    const current = await this.settings.find(command.partnerId);
    if (!current?.webhookUrl) {
      throw new AppError(AppErrorCode.ValidationFailed, 'Set a webhook URL first: there is no webhook secret to rotate.', {
        fields: [{ field: 'webhookUrl', reason: 'is not set' }],
      });
    }
    const secret = newWebhookSecret();
    const saved = await this.settings.update(command.partnerId, command.version, this.seal(command.partnerId, secret));
    if (!saved) throw await this.mismatch(command.partnerId, command.version);
    return toNotificationSettingsResponse(saved, secret);
  }

  private seal(partnerId: string, secret: string) {
    const s = this.cipher.seal(secret, webhookSecretAad(partnerId));
    return { webhookSecretCiphertext: s.ciphertext, webhookSecretIv: s.iv, webhookSecretTag: s.tag, webhookSecretKeyId: s.keyId };
  }

  private async mismatch(partnerId: string, version: number | undefined): Promise<AppError> {
    const latest = await this.settings.find(partnerId);
    return new AppError(
      AppErrorCode.VersionMismatch,
      version === undefined
        ? 'Notification settings already exist: send the version you last read.'
        : `The notification settings were changed by someone else (now version ${latest?.version ?? '?'}); reload and apply your change again.`,
      { currentVersion: latest?.version ?? null },
    );
  }
}

function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The partner's notifications, newest first, with every delivery attempt. */
@Injectable()
export class ListNotifications {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async execute(command: { partnerId: string; page?: number; pageSize?: number }): Promise<NotificationPageResponseDto> {
    const page = command.page ?? 1;
    const pageSize = command.pageSize ?? 50;
    const where = eq(notifications.partnerId, command.partnerId);
    const [rows, [{ total }]] = await Promise.all([
      this.db.select().from(notifications).where(where).orderBy(desc(notifications.id)).limit(pageSize).offset((page - 1) * pageSize),
      this.db.select({ total: count() }).from(notifications).where(where),
    ]);
    const attempts =
      rows.length === 0
        ? []
        : await this.db
            .select()
            .from(notificationDeliveries)
            .where(and(eq(notificationDeliveries.partnerId, command.partnerId), inArray(notificationDeliveries.notificationId, rows.map((r) => r.id))))
            .orderBy(notificationDeliveries.notificationId, notificationDeliveries.attempt);
    return {
      items: rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        event: r.event,
        subject: r.subjectKey,
        recipients: r.recipients,
        status: r.status,
        attempts: r.attempts,
        lastStatusCode: r.lastStatusCode,
        lastError: r.lastError,
        createdAt: r.createdAt.toISOString(),
        sentAt: r.sentAt?.toISOString() ?? null,
        deliveries: attempts
          .filter((d) => d.notificationId === r.id)
          .map((d) => ({ attempt: d.attempt, ok: d.ok, statusCode: d.statusCode, error: d.error, durationMs: d.durationMs, attemptedAt: d.attemptedAt.toISOString() })),
      })),
      page,
      pageSize,
      total,
    };
  }
}
