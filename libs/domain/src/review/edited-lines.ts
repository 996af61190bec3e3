/**
 * Edits made in ConnectWise: one of our lines no longer holds what we last wrote to it (or what it held when we
 * took it over). Only the fields the partner exports are compared: a manual price on a partner that does not
 * export prices is theirs to keep, not an edit to report.
 */
import type { ActualAddition, AdditionField, OwnershipRecord } from '../account-types';
import { compareText } from '../collections';
import { moneyEquals, quantityEquals } from '../money';
import { isCancelled } from '../ownership';
import type { ExportSettings } from '../settings';

/** What one of our additions held after our last write to it (or when we took it over). */
export interface WrittenLine {
  additionId: number;
  quantity: number | null;
  unitPrice: number | null;
  unitCost: number | null;
  cancelledDate: string | null;
}

export interface EditedField {
  field: AdditionField;
  /** What we last wrote (or found when we took the line over). */
  ours: number | string | null;
  /** What ConnectWise holds now. */
  theirs: number | string | null;
}

export interface EditedLine {
  sku: string;
  additionId: number;
  fields: EditedField[];
}

/** The fields a partner's settings make ours to keep in step; the cancelled date always is. */
export function managedFields(settings: Pick<ExportSettings, 'quantity' | 'cost' | 'retailPrice'>): AdditionField[] {
  return [
    'cancelledDate',
    ...(settings.quantity ? (['quantity'] as const) : []),
    ...(settings.cost ? (['unitCost'] as const) : []),
    ...(settings.retailPrice ? (['unitPrice'] as const) : []),
  ];
}

/** Our lines (by ownership) whose managed fields differ from the record of what we last wrote, sorted by SKU. Lines with no record are not judged. */
export function detectEditedLines(
  actual: readonly ActualAddition[],
  ownership: readonly OwnershipRecord[],
  written: readonly WrittenLine[],
  fields: readonly AdditionField[],
): EditedLine[] {
  const additions = new Map(actual.map((a) => [a.id, a]));
  const records = new Map(written.map((w) => [w.additionId, w]));
  const edited: EditedLine[] = [];
  for (const { key: sku, additionId } of ownership) {
    const addition = additions.get(additionId);
    const record = records.get(additionId);
    if (!addition || !record) continue;
    const differing = fields.flatMap((field): EditedField[] => {
      // Included units (issue 18) are set by the partner's rule, not judged as an edit.
      if (field === 'lessIncluded') return [];
      const theirs = currentValue(addition, field);
      const ours = record[field];
      return sameValue(field, ours, theirs) ? [] : [{ field, ours, theirs }];
    });
    if (differing.length > 0) edited.push({ sku, additionId, fields: differing });
  }
  return edited.sort((a, b) => compareText(a.sku, b.sku) || a.additionId - b.additionId);
}

function currentValue(addition: ActualAddition, field: AdditionField): number | string | null {
  if (field === 'cancelledDate') return isCancelled(addition) ? (addition.cancelledDate ?? null) : null;
  return addition[field] ?? null;
}

/** Cancelled dates compare by calendar day (ConnectWise may add a time); money at four decimals; quantities exactly. */
function sameValue(field: AdditionField, a: number | string | null, b: number | string | null): boolean {
  if (field === 'cancelledDate') return (a === null ? null : String(a).slice(0, 10)) === (b === null ? null : String(b).slice(0, 10));
  if (field === 'quantity') return quantityEquals(a === null ? null : Number(a), b === null ? null : Number(b));
  return moneyEquals(a === null ? null : Number(a), b === null ? null : Number(b));
}

/** What an addition holds, as a record of what we wrote: taken after each of our writes and when we take a line over. */
export function writtenLineOf(addition: ActualAddition): WrittenLine {
  return {
    additionId: addition.id,
    quantity: addition.quantity ?? null,
    unitPrice: addition.unitPrice ?? null,
    unitCost: addition.unitCost ?? null,
    cancelledDate: isCancelled(addition) ? (addition.cancelledDate ?? null) : null,
  };
}
