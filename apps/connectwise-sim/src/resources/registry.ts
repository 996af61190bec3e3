import type { CollectionOptions } from '../simulator/state';
import { additions } from './addition';
import { companies, companyStatuses, companyTypes, contacts } from './company';
import { agreements, agreementTypes, billingCycles } from './finance';
import { catalog, categories, productTypes, subcategories, unitOfMeasures } from './procurement';
import type { ResourceDef } from './resource-def';
import { documents, mySecurity } from './system';

/**
 * Every resource the simulator serves through the generic handler, in seeding order (a record's
 * references point to resources earlier in the list).
 */
export const RESOURCES: readonly ResourceDef[] = [
  companyStatuses,
  companyTypes,
  billingCycles,
  agreementTypes,
  categories,
  subcategories,
  productTypes,
  unitOfMeasures,
  companies,
  contacts,
  catalog,
  agreements,
  additions,
  documents,
  mySecurity,
];

const BY_KEY = new Map(RESOURCES.map((def) => [def.key, def]));

export function resourceByKey(key: string): ResourceDef | undefined {
  return BY_KEY.get(key);
}

/** Collection options for the state (virtual resources have no collection). */
export function collectionOptions(): Record<string, CollectionOptions> {
  const options: Record<string, CollectionOptions> = {};
  for (const def of RESOURCES) {
    if (def.source) continue;
    options[def.key] = { parentField: def.parent?.field, uniqueField: def.unique };
  }
  return options;
}
