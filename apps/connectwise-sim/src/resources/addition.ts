import { bool, date, int, list, num, oneOf, readOnly, refs, required, str } from './field-spec';
import { AGREEMENT_STATUSES } from './finance';
import { prorateFields } from './proration';
import type { ResourceDef } from './resource-def';

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * `finance/agreements/{parentId}/additions`. Server-derived: `agreementId`, `description` (the catalog
 * item's), `uom` (its unit of measure's name, a plain string), `extPrice = quantity × unitPrice`,
 * `extCost = quantity × unitCost`, `margin = extPrice − extCost` (an amount; ConnectWise documents no
 * formula), `agreementStatus` (the agreement's). Price, cost, taxable flag and invoice description
 * default from the catalog item, also when a PATCH re-points `product` without re-sending them (the
 * behaviour one MCP server describes; unverified). `prorateCost`, `proratePrice`, `extendedProrate*`: the
 * part of the first month the line is billed for when the agreement prorates (./proration.ts).
 */
export const additions: ResourceDef = {
  key: 'finance/agreements/additions',
  path: 'finance/agreements/{parentId}/additions',
  thing: 'Addition',
  objectName: 'addition',
  security: { module: 'Finance', fn: 'Agreements' },
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  parent: { key: 'finance/agreements', thing: 'Agreement', field: 'agreementId' },
  resetWhenChanged: { product: ['unitPrice', 'unitCost', 'taxableFlag', 'invoiceDescription'] },
  fields: {
    id: readOnly(int()),
    product: required(refs.catalogItem()),
    quantity: num(),
    lessIncluded: num(),
    unitPrice: num(),
    unitCost: num(),
    billCustomer: required(oneOf(['Billable', 'DoNotBill', 'NoCharge'], 'BillCustomer')),
    effectiveDate: date(),
    cancelledDate: date(),
    taxableFlag: bool(),
    serialNumber: str(50),
    invoiceDescription: str(6000),
    purchaseItemFlag: bool(),
    specialOrderFlag: bool(),
    agreementId: readOnly(int()),
    description: readOnly(str()),
    billedQuantity: readOnly(num()),
    uom: readOnly(str()),
    extPrice: readOnly(num()),
    extCost: readOnly(num()),
    sequenceNumber: num(),
    margin: readOnly(num()),
    prorateCost: readOnly(num()),
    proratePrice: readOnly(num()),
    extendedProrateCost: readOnly(num()),
    extendedProratePrice: readOnly(num()),
    prorateCurrentPeriodFlag: bool(),
    agreementStatus: readOnly(oneOf(AGREEMENT_STATUSES, 'AgreementStatus')),
    _info: readOnly(list()),
    customFields: list(),
  },
  defaults(record, ctx) {
    const item = productOf(record, ctx.state);
    if (item) {
      record.unitPrice ??= item.price ?? 0;
      record.unitCost ??= item.cost ?? 0;
      record.taxableFlag ??= item.taxableFlag ?? false;
      record.invoiceDescription ??= item.customerDescription;
    }
    // ConnectWise's own default quantity is not documented; the UI starts at 1.
    record.quantity ??= 1;
    record.lessIncluded ??= 0;
    record.effectiveDate ??= `${ctx.now.slice(0, 10)}T00:00:00Z`;
    record.purchaseItemFlag ??= false;
    record.specialOrderFlag ??= false;
    record.prorateCurrentPeriodFlag ??= false;
    if (record.sequenceNumber === undefined || record.sequenceNumber === null) {
      record.sequenceNumber = ctx.existing?.sequenceNumber ?? (ctx.parentId === undefined ? 0 : ctx.state.count('finance/agreements/additions', ctx.parentId)) + 1;
    }
  },
  derive(record, ctx) {
    const item = productOf(record, ctx.state);
    const agreement = ctx.parentId === undefined ? undefined : ctx.state.get('finance/agreements', ctx.parentId);
    record.agreementId = ctx.parentId;
    if (item) {
      record.description = item.description;
      const uom = (item.unitOfMeasure as { name?: string } | undefined)?.name;
      record.uom = uom;
    }
    const quantity = (record.quantity as number | undefined) ?? 0;
    const extPrice = round2(quantity * ((record.unitPrice as number | undefined) ?? 0));
    const extCost = round2(quantity * ((record.unitCost as number | undefined) ?? 0));
    record.extPrice = extPrice;
    record.extCost = extCost;
    record.margin = round2(extPrice - extCost);
    record.billedQuantity = ctx.existing?.billedQuantity ?? 0;
    record.agreementStatus = agreement?.agreementStatus ?? 'Active';
    // Effective dates and proration: sources and what is unverified in ./proration.ts.
    Object.assign(record, prorateFields(record, agreement?.prorateFlag === true));
  },
};

function productOf(record: Record<string, unknown>, state: { get(key: string, id: number): Record<string, unknown> | undefined }) {
  const id = (record.product as { id?: number } | undefined)?.id;
  return id === undefined ? undefined : (state.get('procurement/catalog', id) as Record<string, number | string | boolean | undefined> | undefined);
}
