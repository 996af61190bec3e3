import { Injectable } from '@nestjs/common';
import { createObjectCsvStringifier } from 'csv-writer';
import { randomUUID } from 'node:crypto';
import { neutraliseCell } from '@cwx/domain';
import { PlatformNotFoundError, type PlatformSource } from '@cwx/platform';
import { AppError, AppErrorCode } from '../http/app-error';
import { AccountsRepository } from '../mapping/accounts.repository';
import { NotificationSettingsRepository } from '../notifications/notification-settings.repository';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { InjectPlatform } from '../platform/platform.module';
import { esc, page, table } from '../notifications/report-content';
import type { SendStatementResponseDto } from './statements.dto';

export interface StatementLine {
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  /** The partner's retail price; null when its price list has none for this SKU. */
  unitPrice: number | null;
  amount: number | null;
}

export interface Statement {
  partnerName: string;
  accountId: string;
  accountName: string;
  currency: string;
  asOf: string;
  lines: StatementLine[];
  total: number;
}

const CSV_HEADER = [
  { id: 'sku', title: 'SKU' },
  { id: 'name', title: 'Product' },
  { id: 'unit', title: 'Unit' },
  { id: 'quantity', title: 'Quantity' },
  { id: 'unitPrice', title: 'Unit price' },
  { id: 'amount', title: 'Amount' },
  { id: 'currency', title: 'Currency' },
];

/** The statement as CSV: one line per SKU and a total; every text cell neutralised against formulas. */
export function statementCsv(s: Statement): string {
  const stringifier = createObjectCsvStringifier({ header: CSV_HEADER, alwaysQuote: true });
  const money = (n: number | null) => (n === null ? '' : n.toFixed(2));
  const records = s.lines.map((l) => ({
    sku: neutraliseCell(l.sku),
    name: neutraliseCell(l.name),
    unit: neutraliseCell(l.unit),
    quantity: String(l.quantity),
    unitPrice: money(l.unitPrice),
    amount: money(l.amount),
    currency: neutraliseCell(s.currency),
  }));
  records.push({ sku: '', name: 'Total', unit: '', quantity: '', unitPrice: '', amount: money(s.total), currency: neutraliseCell(s.currency) });
  return '\uFEFF' + stringifier.getHeaderString() + stringifier.stringifyRecords(records);
}

export function statementHtml(s: Statement): string {
  const money = (n: number | null) => (n === null ? '—' : `${n.toFixed(2)} ${s.currency}`);
  return page(
    `Usage statement: ${esc(s.accountName)}`,
    [
      `<p>${esc(s.partnerName)} — account ${esc(s.accountId)}, as of ${esc(s.asOf)}.</p>`,
      table(
        ['SKU', 'Product', 'Unit', 'Quantity', 'Unit price', 'Amount'],
        [...s.lines.map((l) => [l.sku, l.name, l.unit, String(l.quantity), money(l.unitPrice), money(l.amount)]), ['', 'Total', '', '', '', money(s.total)]],
      ),
    ].join('\n'),
  );
}

function statementText(s: Statement): string {
  const money = (n: number | null) => (n === null ? '-' : `${n.toFixed(2)} ${s.currency}`);
  return [
    `Usage statement: ${s.accountName} (${s.accountId}), as of ${s.asOf}`,
    '',
    ...s.lines.map((l) => `${l.sku}  ${l.name}: ${l.quantity} ${l.unit} × ${money(l.unitPrice)} = ${money(l.amount)}`),
    '',
    `Total: ${money(s.total)}`,
  ].join('\n');
}

/**
 * One account's usage as its customer is billed for it: SKUs and quantities from the platform, priced
 * with the partner's retail price list. Read live; nothing is stored.
 */
@Injectable()
export class GetAccountStatement {
  constructor(
    private readonly accounts: AccountsRepository,
    @InjectPlatform() private readonly platform: PlatformSource,
  ) {}

  async execute(command: { partnerId: string; accountId: string }): Promise<Statement> {
    const { partnerId, accountId } = command;
    const account = await this.accounts.find(partnerId, accountId);
    if (!account) throw AppError.notFound(`Account ${accountId}`);
    try {
      const [partner, skus, prices, subscriptions] = await Promise.all([
        this.platform.getPartner(partnerId),
        this.platform.getSkus(partnerId),
        this.platform.getRetailPrices(partnerId),
        this.platform.getSubscriptions(partnerId, accountId),
      ]);
      const catalogue = new Map(skus.map((s) => [s.sku, s]));
      const priceOf = new Map(prices.prices.map((p) => [p.sku, p.price]));
      const lines = subscriptions.map((sub): StatementLine => {
        const unitPrice = priceOf.get(sub.sku) ?? null;
        return {
          sku: sub.sku,
          name: catalogue.get(sub.sku)?.name ?? sub.sku,
          unit: catalogue.get(sub.sku)?.unit ?? '',
          quantity: sub.quantity,
          unitPrice,
          amount: unitPrice === null ? null : Math.round(sub.quantity * unitPrice * 100) / 100,
        };
      });
      const total = Math.round(lines.reduce((n, l) => n + (l.amount ?? 0), 0) * 100) / 100;
      return { partnerName: partner.name, accountId, accountName: account.accountName, currency: prices.currency || partner.currency, asOf: new Date().toISOString(), lines, total };
    } catch (error) {
      if (error instanceof PlatformNotFoundError) throw AppError.notFound(`Account ${accountId} on the platform`);
      throw error;
    }
  }
}

/** Queues the statement as an e-mail (HTML, plain text, the CSV attached) to the customer's billing contact. */
@Injectable()
export class SendAccountStatement {
  constructor(
    private readonly notificationSettings: NotificationSettingsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly statements: GetAccountStatement,
  ) {}

  async execute(command: { partnerId: string; accountId: string; to: string }): Promise<SendStatementResponseDto> {
    // Never to any address a caller types: only to the partner's configured recipients (the platform's
    // contract carries no billing contact for an account yet).
    const settings = await this.notificationSettings.find(command.partnerId);
    const allowed = new Set((settings?.emailRecipients ?? []).map((r) => r.toLowerCase()));
    if (!allowed.has(command.to.toLowerCase())) {
      const reason = "must be one of the partner's e-mail recipients (notification settings)";
      throw new AppError(AppErrorCode.ValidationFailed, `Invalid request: to ${reason}`, { fields: [{ field: 'to', reason }] });
    }
    const statement = await this.statements.execute(command);
    const id = await this.notifications.enqueueUnlessDisabled({
      partnerId: command.partnerId,
      channel: 'email',
      event: 'account.statement',
      subjectKey: `statement:${command.accountId}:${randomUUID()}`,
      recipients: [command.to],
      payload: {
        accountId: command.accountId,
        subject: `Usage statement: ${statement.accountName}`,
        text: statementText(statement),
        html: statementHtml(statement),
        csv: statementCsv(statement),
        filename: `statement-${command.accountId.replace(/[^\w.-]/g, '_')}.csv`,
      },
    });
    if (id === undefined) throw new AppError(AppErrorCode.IntegrationDisabled, 'The integration is disabled: nothing is sent.');
    return { notificationId: id, status: 'pending' };
  }
}
