/**
 * A small vocabulary to describe ConnectWise resource fields: their JSON type, enum values, length
 * limits, and references (rendered as `{id, name|identifier, _info: {<x>_href}}`).
 */
export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'datetime' | 'enum' | 'ref' | 'refList' | 'array' | 'object';

export interface RefSpec {
  /** Collection key of the referenced resource when the simulator models it; references to it are checked. */
  target?: string;
  /** Path (under apis/3.0/) the href points to, without the id. */
  hrefPath: string;
  /** Key inside `_info`, e.g. `company_href`, `catalog_href`, `uom_href`. */
  hrefKey: string;
  /** Fields copied from the referenced record, e.g. ['identifier', 'name']. */
  show: readonly string[];
  /** Computes the shown fields when they are not plain copies (a contact's `name`). */
  display?: (target: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

export interface FieldSpec {
  kind: FieldKind;
  /** .NET type named in "Error converting value" messages. */
  netType: string;
  maxLength?: number;
  values?: readonly string[];
  ref?: RefSpec;
  required?: boolean;
  /** Set by the server only; ignored in request bodies. */
  readOnly?: boolean;
  /** Only settable when the record is created (e.g. a company's `types`). */
  createOnly?: boolean;
}

export type FieldMap = Readonly<Record<string, FieldSpec>>;

export const str = (maxLength?: number): FieldSpec => ({ kind: 'string', netType: 'System.String', maxLength });
export const int = (): FieldSpec => ({ kind: 'integer', netType: 'System.Nullable`1[System.Int32]' });
export const num = (): FieldSpec => ({ kind: 'number', netType: 'System.Nullable`1[System.Double]' });
export const bool = (): FieldSpec => ({ kind: 'boolean', netType: 'System.Nullable`1[System.Boolean]' });
export const date = (): FieldSpec => ({ kind: 'datetime', netType: 'System.Nullable`1[System.DateTime]' });
export const oneOf = (values: readonly string[], netName: string): FieldSpec => ({
  kind: 'enum',
  values,
  netType: `System.Nullable\`1[ConnectWise.Apis.v3_0.${netName}]`,
});
export const ref = (hrefPath: string, hrefKey: string, options: Partial<RefSpec> = {}): FieldSpec => ({
  kind: 'ref',
  netType: `ConnectWise.Apis.v3_0.Reference`,
  ref: { hrefPath, hrefKey, show: ['name'], ...options },
});
export const refList = (hrefPath: string, hrefKey: string, options: Partial<RefSpec> = {}): FieldSpec => ({
  kind: 'refList',
  netType: 'System.Collections.Generic.List`1[ConnectWise.Apis.v3_0.Reference]',
  ref: { hrefPath, hrefKey, show: ['name'], ...options },
});
export const list = (): FieldSpec => ({ kind: 'array', netType: 'System.Collections.Generic.List`1[System.Object]' });

export const required = (spec: FieldSpec): FieldSpec => ({ ...spec, required: true });
export const readOnly = (spec: FieldSpec): FieldSpec => ({ ...spec, readOnly: true });
export const createOnly = (spec: FieldSpec): FieldSpec => ({ ...spec, createOnly: true });

/** Reference helpers for the resources the simulator models (their targets are checked on write). */
export const refs = {
  company: () => ref('company/companies', 'company_href', { target: 'company/companies', show: ['identifier', 'name'] }),
  contact: () =>
    ref('company/contacts', 'contact_href', {
      target: 'company/contacts',
      show: ['name'],
      display: (c) => ({ name: [c.firstName, c.lastName].filter((p) => typeof p === 'string' && p !== '').join(' ') }),
    }),
  companyStatus: () => ref('company/companies/statuses', 'status_href', { target: 'company/companies/statuses' }),
  agreementType: () => ref('finance/agreements/types', 'type_href', { target: 'finance/agreements/types' }),
  billingCycle: () => ref('finance/billingCycles', 'billingCycle_href', { target: 'finance/billingCycles' }),
  catalogItem: () => ref('procurement/catalog', 'catalog_href', { target: 'procurement/catalog', show: ['identifier'] }),
  category: () => ref('procurement/categories', 'category_href', { target: 'procurement/categories' }),
  subcategory: () => ref('procurement/subcategories', 'subcategory_href', { target: 'procurement/subcategories' }),
  productType: () => ref('procurement/types', 'type_href', { target: 'procurement/types' }),
  unitOfMeasure: () => ref('procurement/unitOfMeasures', 'uom_href', { target: 'procurement/unitOfMeasures' }),
  /** References to tables the simulator does not model: kept as sent ({id, name}). */
  location: () => ref('system/locations', 'location_href'),
  department: () => ref('system/departments', 'department_href', { show: ['identifier', 'name'] }),
  currency: () => ref('finance/currencies', 'currency_href', { show: ['symbol', 'currencyCode', 'name'] }),
  taxCode: () => ref('finance/taxCodes', 'taxCode_href'),
  member: () => ref('system/members', 'member_href', { show: ['identifier', 'name'] }),
};
