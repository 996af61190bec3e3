import { billedInMonth } from '../resources/proration';
/** A stored record: plain JSON with a numeric id. References are stored as `{id, name|identifier}`. */
export type SimRecord = Record<string, unknown> & { id: number };

export type SecurityLevel = 'None' | 'My' | 'All';

export interface SimPermission {
  moduleIdentifier: string;
  moduleFunctionIdentifier: string;
  moduleFunctionName?: string;
  addLevel: SecurityLevel;
  editLevel: SecurityLevel;
  deleteLevel: SecurityLevel;
  inquireLevel: SecurityLevel;
}

export interface SimSecurityRole {
  id: number;
  name: string;
  permissions: SimPermission[];
}

export interface SimMember {
  id: number;
  identifier: string;
  firstName: string;
  lastName: string;
  publicKey: string;
  privateKey: string;
  securityRoleId: number;
  /** A = API member (the default), F = full member. */
  licenseClass?: 'A' | 'F' | 'C' | 'X';
  inactiveFlag?: boolean;
}

export interface SimTenant {
  /** The login company id, e.g. `demo` (the `companyId` in `companyId+publicKey`). */
  companyId: string;
  companyName: string;
  /** The tenant's versioned codebase, e.g. `v2025_1/`. */
  codebase: string;
  versionNumber: string;
  isCloud: boolean;
  serverTimeZone: string;
}

export interface CollectionOptions {
  /** Field holding the parent id (e.g. `agreementId` for additions): children are indexed by it. */
  parentField?: string;
  /** Field that must be unique (case-insensitive), indexed for lookups (e.g. a catalog `identifier`). */
  uniqueField?: string;
}

class Collection {
  readonly byId = new Map<number, SimRecord>();
  readonly byParent = new Map<number, Map<number, SimRecord>>();
  readonly byUnique = new Map<string, number>();
  nextId = 1;
  maxId = 0;

  constructor(readonly options: CollectionOptions) {}
}

const uniqueKey = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim().toLowerCase() : undefined);

/**
 * The simulator's in-memory data: one collection per resource with its id counter, a parent index
 * (additions by agreement id) and a unique index (catalog items and companies by identifier), so a
 * request costs the size of the collection it reads, not the whole data set.
 *
 * Records returned are the live stored objects (references without `_info`, derived fields filled):
 * treat them as read-only in tests; use the HTTP API or the seed to change data.
 */
export class SimState {
  private readonly collections = new Map<string, Collection>();
  private readonly documentContents = new Map<number, Buffer>();
  tenant: SimTenant;
  members: SimMember[] = [];
  securityRoles: SimSecurityRole[] = [];

  constructor(collections: Readonly<Record<string, CollectionOptions>>, tenant: SimTenant) {
    for (const [key, options] of Object.entries(collections)) this.collections.set(key, new Collection(options));
    this.tenant = tenant;
  }

  /** Empties every collection (ids restart) and installs a tenant; used to go back to the seed. */
  clear(tenant: SimTenant): void {
    for (const [key, collection] of this.collections) this.collections.set(key, new Collection(collection.options));
    this.documentContents.clear();
    this.tenant = tenant;
    this.members = [];
    this.securityRoles = [];
  }

  /** Collection keys, e.g. `company/companies`, `finance/agreements/additions`, `system/documents`. */
  keys(): string[] {
    return [...this.collections.keys()];
  }

  /** All records of a collection in id order, or the children of one parent (e.g. one agreement's additions). */
  list(key: string, parentId?: number): SimRecord[] {
    const collection = this.collection(key);
    if (parentId === undefined) return [...collection.byId.values()];
    return [...(collection.byParent.get(parentId)?.values() ?? [])];
  }

  get(key: string, id: number): SimRecord | undefined {
    return this.collection(key).byId.get(id);
  }

  count(key: string, parentId?: number): number {
    const collection = this.collection(key);
    return parentId === undefined ? collection.byId.size : (collection.byParent.get(parentId)?.size ?? 0);
  }

  /** The record whose unique field (e.g. `identifier`) equals the value, case-insensitively. */
  findUnique(key: string, value: string): SimRecord | undefined {
    const collection = this.collection(key);
    const normalized = uniqueKey(value);
    const id = normalized === undefined ? undefined : collection.byUnique.get(normalized);
    return id === undefined ? undefined : collection.byId.get(id);
  }

  /** Inserts a record, assigning the next id unless it carries one (seeds). */
  insert(key: string, record: Omit<SimRecord, 'id'> & { id?: number }): SimRecord {
    const collection = this.collection(key);
    const id = typeof record.id === 'number' && record.id > 0 ? record.id : collection.nextId;
    if (collection.byId.has(id)) throw new Error(`${key}: duplicate id ${id}`);
    const stored = { ...record, id } as SimRecord;
    collection.nextId = Math.max(collection.nextId, id + 1);
    this.index(collection, stored);
    // Keep byId in ascending id order even when seeds arrive unsorted.
    if (id < collection.maxId) {
      const entries = [...collection.byId.entries(), [id, stored] as const].sort((a, b) => a[0] - b[0]);
      collection.byId.clear();
      for (const [k, v] of entries) collection.byId.set(k, v);
    } else {
      collection.byId.set(id, stored);
      collection.maxId = id;
    }
    return stored;
  }

  /** Replaces a stored record (same id). */
  replace(key: string, record: SimRecord): SimRecord {
    const collection = this.collection(key);
    const previous = collection.byId.get(record.id);
    if (!previous) throw new Error(`${key}: no record ${record.id}`);
    this.unindex(collection, previous);
    collection.byId.set(record.id, record);
    this.index(collection, record);
    return record;
  }

  remove(key: string, id: number): boolean {
    const collection = this.collection(key);
    const previous = collection.byId.get(id);
    if (!previous) return false;
    this.unindex(collection, previous);
    collection.byId.delete(id);
    if (key === 'system/documents') this.documentContents.delete(id);
    return true;
  }

  setDocumentContent(id: number, content: Buffer): void {
    this.documentContents.set(id, content);
  }

  documentContent(id: number): Buffer | undefined {
    return this.documentContents.get(id);
  }

  // Typed accessors for tests.
  companies(): SimRecord[] {
    return this.list('company/companies');
  }
  contacts(): SimRecord[] {
    return this.list('company/contacts');
  }
  agreements(): SimRecord[] {
    return this.list('finance/agreements');
  }
  /** Additions of one agreement, or of every agreement. */
  additions(agreementId?: number): SimRecord[] {
    return this.list('finance/agreements/additions', agreementId);
  }
  catalogItems(): SimRecord[] {
    return this.list('procurement/catalog');
  }
  /** What the agreement's additions bill for a calendar month `YYYY-MM`, by the simulator's proration model (resources/proration.ts). */
  billedInMonth(agreementId: number, month: string): number {
    const agreement = this.get('finance/agreements', agreementId);
    const prorates = agreement?.prorateFlag === true;
    const total = this.additions(agreementId).reduce((sum, addition) => sum + billedInMonth(addition, prorates, month), 0);
    return Math.round(total * 100) / 100;
  }
  /** Document metadata (DocumentInfo plus `recordType`/`recordId`); content via documentContent(id). */
  documents(): SimRecord[] {
    return this.list('system/documents');
  }

  /** A JSON-safe copy of everything (document contents as sizes only). */
  snapshot(): { tenant: SimTenant; members: Omit<SimMember, 'privateKey'>[]; collections: Record<string, SimRecord[]> } {
    const collections: Record<string, SimRecord[]> = {};
    for (const [key, collection] of this.collections) collections[key] = structuredClone([...collection.byId.values()]);
    return {
      tenant: { ...this.tenant },
      members: this.members.map(({ privateKey: _privateKey, ...rest }) => rest),
      collections,
    };
  }

  private collection(key: string): Collection {
    const collection = this.collections.get(key);
    if (!collection) throw new Error(`Unknown collection ${key}`);
    return collection;
  }

  private index(collection: Collection, record: SimRecord): void {
    const { parentField, uniqueField } = collection.options;
    if (parentField) {
      const parentId = record[parentField];
      if (typeof parentId === 'number') {
        let children = collection.byParent.get(parentId);
        if (!children) collection.byParent.set(parentId, (children = new Map<number, SimRecord>()));
        children.set(record.id, record);
      }
    }
    if (uniqueField) {
      const value = uniqueKey(record[uniqueField]);
      if (value !== undefined) collection.byUnique.set(value, record.id);
    }
  }

  private unindex(collection: Collection, record: SimRecord): void {
    const { parentField, uniqueField } = collection.options;
    if (parentField) {
      const parentId = record[parentField];
      if (typeof parentId === 'number') collection.byParent.get(parentId)?.delete(record.id);
    }
    if (uniqueField) {
      const value = uniqueKey(record[uniqueField]);
      if (value !== undefined && collection.byUnique.get(value) === record.id) collection.byUnique.delete(value);
    }
  }
}
