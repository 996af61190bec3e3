import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { defaultNotificationsConfig, type ControlPlaneConfig, type NotificationsConfig } from '@cwx/config';
import { DestinationPolicy, DestinationRefusedError } from '@cwx/outbound';
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

/**
 * Signed JSON POSTs; no redirects followed (a 3xx is a failed attempt); a 2xx is a delivery, anything
 * else an attempt to retry. Every attempt checks the destination again: the URL's host (an address
 * literal never reaches a resolver) and, through the agent's `lookup`, every address its name resolves
 * to now, so a receiver whose DNS later points inside is refused.
 */
@Injectable()
export class WebhookChannel {
  private readonly settings: NotificationsConfig;

  constructor(
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
    private readonly destinations: DestinationPolicy,
  ) {
    this.settings = notificationsConfigOf(config);
  }

  async send(request: { url: string; secret: string; event: string; notificationId: number; body: unknown }): Promise<AttemptOutcome> {
    const raw = JSON.stringify(request.body);
    const timestamp = Math.floor(Date.now() / 1000);
    const url = new URL(request.url);
    const refused = this.destinations.urlProblem(url);
    if (refused) return { ok: false, statusCode: null, error: `destination refused: ${refused}` };
    try {
      const status = await this.post(url, raw, {
        'content-type': 'application/json',
        'user-agent': 'cwx-notifications/1',
        [EVENT_HEADER]: request.event,
        [DELIVERY_HEADER]: String(request.notificationId),
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(request.secret, timestamp, raw),
      });
      const ok = status >= 200 && status < 300;
      const error = ok ? null : status >= 300 && status < 400 ? `the receiver answered ${status} (redirects are not followed)` : `the receiver answered ${status}`;
      return { ok, statusCode: status, error };
    } catch (error) {
      if (error instanceof DestinationRefusedError) return { ok: false, statusCode: null, error: `destination refused: ${error.message}` };
      const e = error as { name?: string; code?: unknown; message?: unknown };
      const reason = e.name === 'TimeoutError' ? `no answer within ${this.settings.timeoutMs} ms` : safeMessage(e.code ?? e.message);
      return { ok: false, statusCode: null, error: reason };
    }
  }

  /** One POST through the destination policy's agent; resolves with the status, the body discarded. */
  private post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const agent = this.destinations.agentFor(url.protocol);
    return new Promise<number>((resolve, reject) => {
      const req = send(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.setTimeout(this.settings.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
      req.on('error', reject);
      req.on('close', () => agent.destroy());
      req.end(body);
    });
  }
}

function safeMessage(value: unknown): string {
  // Never echo a URL with credentials (an SMTP URL) into the record.
  return (typeof value === 'string' ? value : 'delivery failed').replace(/\/\/[^/@\s]+@/g, '//***@').slice(0, 500);
}
