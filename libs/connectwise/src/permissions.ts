import type { MySecurity } from './types';

export type SecurityAction = 'inquire' | 'add' | 'edit' | 'delete';
export type SecurityLevel = 'None' | 'My' | 'All';

/** One row of docs/connectwise-permissions.md: a module function and the levels the product needs on it. */
export interface RequiredPermission {
  need: 'companies' | 'contacts' | 'agreements' | 'catalog' | 'setup-tables';
  moduleIdentifier: string;
  moduleFunctionIdentifier: string;
  /** As shown on ConnectWise's security-role screen. */
  label: string;
  actions: readonly SecurityAction[];
}

/** The product's needs (docs/connectwise-permissions.md); every action at level All. */
export const REQUIRED_PERMISSIONS: readonly RequiredPermission[] = [
  { need: 'companies', moduleIdentifier: 'Companies', moduleFunctionIdentifier: 'Company_Maintenance', label: 'Companies › Company Maintenance', actions: ['inquire', 'add'] },
  { need: 'contacts', moduleIdentifier: 'Companies', moduleFunctionIdentifier: 'Contacts', label: 'Companies › Contacts', actions: ['inquire', 'add'] },
  { need: 'agreements', moduleIdentifier: 'Finance', moduleFunctionIdentifier: 'Agreements', label: 'Finance › Agreements', actions: ['inquire', 'add', 'edit'] },
  { need: 'catalog', moduleIdentifier: 'Procurement', moduleFunctionIdentifier: 'Product_Catalog', label: 'Procurement › Product Catalog', actions: ['inquire', 'add', 'edit'] },
  { need: 'setup-tables', moduleIdentifier: 'System', moduleFunctionIdentifier: 'Table_Setup', label: 'System › Table Setup', actions: ['inquire'] },
];

export interface MissingPermission {
  need: RequiredPermission['need'];
  label: string;
  moduleIdentifier: string;
  moduleFunctionIdentifier: string;
  action: SecurityAction;
  required: SecurityLevel;
  /** The member's level, or 'None' when the function is absent from mySecurity. */
  actual: SecurityLevel;
}

/**
 * Compares `/system/mySecurity` with the table. Identifiers are matched ignoring case, spaces and
 * underscores (the live identifiers are unverified: `Company_Maintenance` and "Company Maintenance" match),
 * trying the function's identifier and then its name, within the module (identifier or name).
 */
export function missingPermissions(rows: readonly MySecurity[], required: readonly RequiredPermission[] = REQUIRED_PERMISSIONS): MissingPermission[] {
  const missing: MissingPermission[] = [];
  for (const need of required) {
    const row = rows.find(
      (r) =>
        (squash(r.moduleIdentifier) === squash(need.moduleIdentifier) || squash(r.moduleName) === squash(need.moduleIdentifier)) &&
        (squash(r.moduleFunctionIdentifier) === squash(need.moduleFunctionIdentifier) ||
          squash(r.moduleFunctionName) === squash(need.moduleFunctionIdentifier)),
    );
    for (const action of need.actions) {
      const actual = levelOf(row, action);
      if (actual !== 'All') {
        missing.push({
          need: need.need,
          label: need.label,
          moduleIdentifier: need.moduleIdentifier,
          moduleFunctionIdentifier: need.moduleFunctionIdentifier,
          action,
          required: 'All',
          actual,
        });
      }
    }
  }
  return missing;
}

function levelOf(row: MySecurity | undefined, action: SecurityAction): SecurityLevel {
  const value = row?.[`${action}Level`];
  return value === 'All' || value === 'My' ? value : 'None';
}

function squash(value: string | undefined): string {
  return (value ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
}
