import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { defaultNotificationsConfig, type ControlPlaneConfig, type NotificationsConfig } from '@cwx/config';
import { CONTROL_PLANE_CONFIG } from '../config.token';

/** The outcome of one delivery attempt, as recorded. */
export interface AttemptOutcome {
  ok: boolean;
  /** HTTP status (webhook) or SMTP reply code (e-mail), when the other side answered. */
  statusCode: number | null;
  error: string | null;
  /** Where a message written to disk went (no SMTP server configured). */
  file?: string;
}

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: string; contentType: string }[];
  /** Our notification id, in a header, so a receiver can tell a resend. */
  notificationId: number;
}

export const SIGNATURE_HEADER = 'x-cwx-signature';
export const TIMESTAMP_HEADER = 'x-cwx-timestamp';
export const EVENT_HEADER = 'x-cwx-event';
export const DELIVERY_HEADER = 'x-cwx-delivery';

export function notificationsConfigOf(config: ControlPlaneConfig): NotificationsConfig {
  return config.notifications ?? defaultNotificationsConfig({ localDataDir: config.database.localDataDir, host: config.http.host, port: config.http.port });
}

/**
 * `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<raw body>` with the partner's webhook secret. The
 * timestamp (unix seconds, sent in X-Cwx-Timestamp) is signed, so a receiver that refuses old
 * timestamps refuses replays.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * E-mail through SMTP (nodemailer) when SMTP_URL is set; otherwise every message is written as an
 * .eml file under the mail folder (local mode and the demo need no mail server).
 */
@Injectable()
export class MailChannel implements OnApplicationShutdown {
  private readonly settings: NotificationsConfig;
  private readonly transport: Transporter;

  constructor(@Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig) {
    this.settings = notificationsConfigOf(config);
    const t = this.settings.timeoutMs;
    this.transport = this.settings.smtpUrl
      ? nodemailer.createTransport({ url: this.settings.smtpUrl, connectionTimeout: t, greetingTimeout: t, socketTimeout: t })
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  /** Where messages go, for logs and the demo: the SMTP host, or the folder. */
  describe(): string {
    if (!this.settings.smtpUrl) return this.settings.mailDir;
    const url = new URL(this.settings.smtpUrl);
    return `${url.protocol}//${url.host}`;
  }

  async send(mail: OutgoingEmail): Promise<AttemptOutcome> {
    try {
      const info = (await this.transport.sendMail({
        from: this.settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        attachments: mail.attachments,
        headers: { 'X-Cwx-Notification': String(mail.notificationId) },
      })) as { response?: string; message?: Buffer; messageId?: string };
      if (!this.settings.smtpUrl && Buffer.isBuffer(info.message)) {
        await mkdir(this.settings.mailDir, { recursive: true });
        const file = join(this.settings.mailDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.notificationId}.eml`);
        await writeFile(file, info.message);
        return { ok: true, statusCode: null, error: null, file };
      }
      const code = /^(\d{3})/.exec(info.response ?? '');
      return { ok: true, statusCode: code ? Number(code[1]) : null, error: null };
    } catch (error) {
      const e = error as { responseCode?: unknown; message?: unknown };
      return { ok: false, statusCode: typeof e.responseCode === 'number' ? e.responseCode : null, error: safeMessage(e.message) };
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

/** Signed JSON POSTs; no redirects followed; a 2xx is a delivery, anything else an attempt to retry. */
@Injectable()
export class WebhookChannel {
  private readonly settings: NotificationsConfig;

  constructor(@Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig) {
    this.settings = notificationsConfigOf(config);
  }

  async send(request: { url: string; secret: string; event: string; notificationId: number; body: unknown }): Promise<AttemptOutcome> {
    const raw = JSON.stringify(request.body);
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'cwx-notifications/1',
          [EVENT_HEADER]: request.event,
          [DELIVERY_HEADER]: String(request.notificationId),
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(request.secret, timestamp, raw),
        },
        body: raw,
      });
      await response.body?.cancel().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      return { ok, statusCode: response.status, error: ok ? null : `the receiver answered ${response.status}` };
    } catch (error) {
      const e = error as { name?: string; message?: unknown; cause?: { code?: unknown; message?: unknown } };
      const reason = e.name === 'TimeoutError' ? `no answer within ${this.settings.timeoutMs} ms` : safeMessage(e.cause?.code ?? e.cause?.message ?? e.message);
      return { ok: false, statusCode: null, error: reason };
    }
  }
}

function safeMessage(value: unknown): string {
  // Never echo a URL with credentials (an SMTP URL) into the record.
  return (typeof value === 'string' ? value : 'delivery failed').replace(/\/\/[^/@\s]+@/g, '//***@').slice(0, 500);
}
