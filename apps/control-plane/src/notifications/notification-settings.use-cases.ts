import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DestinationPolicy, isLoopbackHost } from '@cwx/outbound';
import { CredentialsCipher } from '@cwx/persistence';
import { AppError, AppErrorCode } from '../http/app-error';
import { NotificationSettingsRepository, type NotificationSettingsRow, type NotificationSettingsValues as Values } from './notification-settings.repository';
import type { NotificationPageResponseDto, NotificationSettingsResponseDto, SaveNotificationSettingsRequestDto } from './notifications.dto';
import { NotificationsRepository } from './notifications.repository';

const DEFAULT_THRESHOLD = 3;

/** Additional data binding a webhook secret's ciphertext to its partner and its purpose. */
export function webhookSecretAad(partnerId: string): string {
  return `${partnerId}#webhook-secret`;
}

/**
 * Why a webhook URL is refused without resolving it: not https (plain http only for loopback receivers,
 * which the destination policy allows only in development and tests), credentials, or a non-public host.
 */
export function webhookUrlProblem(value: string, destinations: DestinationPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'must use https (plain http only for a loopback address)';
  }
  return destinations.urlProblem(url);
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
    private readonly destinations: DestinationPolicy,
  ) {}

  async execute(command: { partnerId: string; request: SaveNotificationSettingsRequestDto }): Promise<NotificationSettingsResponseDto> {
    const { partnerId, request } = command;
    const webhookUrl = request.webhookUrl ?? null;
    // The host is resolved too: a name pointing inside is refused now (and at every delivery).
    const problem = webhookUrl === null ? undefined : (webhookUrlProblem(webhookUrl, this.destinations) ?? (await this.destinations.resolvedProblem(new URL(webhookUrl))));
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
  constructor(private readonly notifications: NotificationsRepository) {}

  async execute(command: { partnerId: string; page?: number; pageSize?: number }): Promise<NotificationPageResponseDto> {
    const page = command.page ?? 1;
    const pageSize = command.pageSize ?? 50;
    const { rows, deliveries, total } = await this.notifications.page(command.partnerId, page, pageSize);
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
        deliveries: deliveries
          .filter((d) => d.notificationId === r.id)
          .map((d) => ({ attempt: d.attempt, ok: d.ok, statusCode: d.statusCode, error: d.error, durationMs: d.durationMs, attemptedAt: d.attemptedAt.toISOString() })),
      })),
      page,
      pageSize,
      total,
    };
  }
}
