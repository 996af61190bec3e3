import type { ValidationIssue } from '../http/api-error';
import type { SimMember, SimRecord, SimState } from '../simulator/state';
import type { FieldMap } from './field-spec';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A security-role module function (docs/connectwise-permissions.md). */
export interface SecurityFunction {
  module: string;
  fn: string;
}

export interface WriteContext {
  state: SimState;
  member: SimMember;
  /** ISO timestamp of the request, e.g. 2025-01-31T10:00:00Z. */
  now: string;
  parentId?: number;
  /** The stored record before a PUT/PATCH. */
  existing?: SimRecord;
}

export interface ReadContext {
  state: SimState;
  member: SimMember;
  parentId?: number;
}

/** One ConnectWise resource the simulator serves. */
export interface ResourceDef {
  /** Collection key in the state, e.g. `finance/agreements/additions`. */
  key: string;
  /** URL template under apis/3.0/, e.g. `finance/agreements/{parentId}/additions`. */
  path: string;
  /** Name in NotFound messages: "<thing> <id> not found". */
  thing: string;
  /** Name in validation messages: "<objectName> object is invalid". */
  objectName: string;
  /** 'authenticated': any member; 'recordType': the function of the record a document is attached to. */
  security: SecurityFunction | 'authenticated' | 'recordType';
  fields: FieldMap;
  methods: readonly HttpMethod[];
  parent?: { key: string; thing: string; field: string };
  /** Field whose value must be unique (case-insensitive); duplicates are refused with ObjectExists. */
  unique?: string;
  /** Fills server defaults into fields left empty (on create and on replace). */
  defaults?(record: Record<string, unknown>, ctx: WriteContext): void;
  /** Rules beyond required/length/references. */
  validate?(record: Record<string, unknown>, ctx: WriteContext): ValidationIssue[];
  /** Computes server-derived fields after validation. */
  derive?(record: Record<string, unknown>, ctx: WriteContext): void;
  /** Records of a virtual, read-only collection computed per caller (e.g. system/mySecurity). */
  source?(ctx: ReadContext): readonly SimRecord[];
  /** Fields reset to their defaults when a PATCH changes the key field without re-sending them. */
  resetWhenChanged?: Readonly<Record<string, readonly string[]>>;
  /** Child collections deleted with a record (an agreement's additions). */
  cascade?: readonly string[];
}
