/**
 * Entity types from the official ConnectWise Manage OpenAPI spec, as rendered by the MIT `connectwise-rest`
 * package (type-only import: nothing of that package is loaded at runtime). See README "Spec types" for
 * the fields the spec marks required that responses can omit.
 */
import type { components } from 'connectwise-rest/dist/ManageTypes';

type Schemas = components['schemas'];

export type Company = Schemas['Company'];
export type CompanyStatus = Schemas['CompanyStatus'];
export type CompanyType = Schemas['CompanyType'];
export type Contact = Schemas['Contact'];
export type Agreement = Schemas['Agreement'];
export type AgreementType = Schemas['AgreementType'];
export type BillingCycle = Schemas['BillingCycle'];
export type Addition = Schemas['Addition'];
export type CatalogItem = Schemas['CatalogItem'];
export type ProcurementCategory = Schemas['Category'];
export type ProcurementSubcategory = Schemas['SubCategory'];
export type ProductType = Schemas['ProductType'];
export type UnitOfMeasure = Schemas['UnitOfMeasure'];
export type DocumentInfo = Schemas['DocumentInfo'];
export type SystemInfo = Schemas['Info'];
export type MyMember = Schemas['MyMember'];
export type MySecurity = Schemas['MySecurity'];
export type ErrorResponseMessage = Schemas['ErrorResponseMessage'];

/** A create body: the entity without the server-assigned `id` and `_info`. */
export type NewRecord<T> = Omit<T, 'id' | '_info'>;

type Writable<T> = Exclude<Extract<keyof T, string>, 'id' | '_info'>;

/**
 * One JSON-Patch operation as ConnectWise takes it (API-NOTES §6.1): `path` is a top-level field name
 * without a leading slash (a reference is replaced whole, never `company/id`), and `value` is typed by field.
 */
export type PatchOperation<T> =
  | { [K in Writable<T>]: { op: 'replace' | 'add'; path: K; value: T[K] } }[Writable<T>]
  | { op: 'remove'; path: Writable<T> };

/** `replace` operations for each field of `changes`, in key order (undefined values skipped). */
export function replaceOps<T>(changes: Partial<Pick<T, Writable<T>>>): PatchOperation<T>[] {
  const ops: PatchOperation<T>[] = [];
  for (const [path, value] of Object.entries(changes)) {
    if (value !== undefined) ops.push({ op: 'replace', path, value } as PatchOperation<T>);
  }
  return ops;
}
