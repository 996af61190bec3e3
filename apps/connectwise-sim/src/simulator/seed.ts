import { readFileSync } from 'node:fs';
import { ApiError } from '../http/api-error';
import { buildRecord } from '../resources/normalize';
import { RESOURCES } from '../resources/registry';
import type { SimMember, SimSecurityRole, SimState, SimTenant } from './state';

/**
 * What the simulator starts with. Records are given per collection key in the request-body shape
 * (references as `{id}`), with their ids; they go through the same validation and derivation as a
 * POST. Additions carry `agreementId`.
 */
export interface SimSeed {
  tenant: Partial<SimTenant> & { companyId: string; companyName: string };
  securityRoles: SimSecurityRole[];
  members: SimMember[];
  records: Partial<Record<string, Array<Record<string, unknown>>>>;
}

export function loadSeedFile(path: string): SimSeed {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as SimSeed;
  if (!parsed || typeof parsed !== 'object' || !parsed.tenant || !Array.isArray(parsed.members)) {
    throw new Error(`Seed file ${path} needs "tenant", "securityRoles", "members" and "records"`);
  }
  return parsed;
}

export function tenantFromSeed(seed: SimSeed, codebase: string): SimTenant {
  return {
    versionNumber: 'v4.6.105238',
    isCloud: true,
    serverTimeZone: 'Eastern Standard Time',
    ...seed.tenant,
    codebase,
  };
}

/** Loads a seed into an empty state. Throws with the record's key and id when a record is invalid. */
export function applySeed(state: SimState, seed: SimSeed): void {
  state.members = structuredClone(seed.members);
  state.securityRoles = structuredClone(seed.securityRoles);
  const seeder: SimMember = seed.members[0] ?? {
    id: 0,
    identifier: 'seed',
    firstName: 'Seed',
    lastName: '',
    publicKey: '',
    privateKey: '',
    securityRoleId: 0,
  };
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const def of RESOURCES) {
    if (def.source) continue;
    for (const input of seed.records[def.key] ?? []) {
      const parentId = def.parent ? (input[def.parent.field] as number | undefined) : undefined;
      if (def.parent && (parentId === undefined || !state.get(def.parent.key, parentId))) {
        throw new Error(`Seed ${def.key} ${String(input.id)}: ${def.parent.field} must name an existing ${def.parent.thing}`);
      }
      try {
        const record = buildRecord(def, input, { state, member: seeder, now, parentId }, 'create');
        const info = input._info as Record<string, string> | undefined;
        if (info) record._info = { ...(record._info as Record<string, string>), ...info };
        for (const [key, value] of Object.entries(input)) {
          if (!(key in def.fields) && key !== def.parent?.field) record[key] = value;
        }
        state.insert(def.key, { ...record, id: input.id as number | undefined });
      } catch (error) {
        if (error instanceof ApiError) {
          throw new Error(`Seed ${def.key} ${String(input.id)} is invalid: ${JSON.stringify(error.body)}`);
        }
        throw error;
      }
    }
  }
}
