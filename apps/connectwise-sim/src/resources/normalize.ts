import { ApiError, type ValidationIssue } from '../http/api-error';
import type { SimRecord } from '../simulator/state';
import type { FieldSpec } from './field-spec';
import { resourceByKey } from './registry';
import type { ResourceDef, WriteContext } from './resource-def';

export type WriteMode = 'create' | 'replace';

/** How a value of the wrong JSON type is answered: POST/PUT like Json.NET (500), PATCH with 400 InvalidPatch. */
export type ConversionStyle = 'body' | 'patch';

/**
 * Turns a request body into the record to store: converts values like Json.NET would, ignores unknown
 * and server-owned fields, applies defaults (a PUT resets what it leaves out), checks required fields,
 * lengths, references and uniqueness, then derives server-computed fields and `_info`.
 */
export function buildRecord(
  def: ResourceDef,
  input: unknown,
  ctx: WriteContext,
  mode: WriteMode,
  style: ConversionStyle = 'body',
): Record<string, unknown> {
  if (input === null || input === undefined || typeof input !== 'object' || Array.isArray(input)) {
    if (Array.isArray(input)) {
      throw new ApiError(500, {
        code: 'ConnectWiseApi',
        message: `Cannot deserialize the current JSON array into type '${def.objectName}' because the type requires a JSON object. Path '', line 1, position 1.`,
      });
    }
    throw ApiError.invalidObject(def.objectName, []);
  }
  const body = input as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  const existing = ctx.existing;
  for (const [name, spec] of Object.entries(def.fields)) {
    if (spec.readOnly || (spec.createOnly && mode !== 'create')) {
      if (existing && existing[name] !== undefined) record[name] = structuredClone(existing[name]);
      continue;
    }
    const raw = body[name];
    if (raw === undefined || raw === null) continue;
    record[name] = convert(raw, spec, name, style);
  }
  def.defaults?.(record, ctx);

  const issues: ValidationIssue[] = [];
  for (const [name, spec] of Object.entries(def.fields)) {
    if (spec.readOnly) continue;
    const value = record[name];
    if (value === undefined || value === null || value === '') {
      if (spec.required) {
        issues.push({ code: 'MissingRequiredField', message: `The ${name} field is required.`, resource: def.objectName, field: name });
      }
      continue;
    }
    if (spec.maxLength !== undefined && typeof value === 'string' && value.length > spec.maxLength) {
      issues.push({
        code: 'MaxLengthField',
        message: `The field ${name} must be a string with a maximum length of ${spec.maxLength}.`,
        resource: def.objectName,
        field: name,
      });
    }
    if (spec.kind === 'ref') record[name] = resolveReference(def, name, spec, value as Record<string, unknown>, ctx, issues);
    if (spec.kind === 'refList') {
      record[name] = (value as Record<string, unknown>[]).map((item) => resolveReference(def, name, spec, item, ctx, issues));
    }
  }
  if (def.unique && typeof record[def.unique] === 'string') {
    const clash = ctx.state.findUnique(def.key, record[def.unique] as string);
    if (clash && clash.id !== existing?.id) {
      issues.push({
        code: 'ObjectExists',
        message: `A ${def.thing.toLowerCase()} with ${def.unique} '${String(record[def.unique])}' already exists.`,
        resource: def.objectName,
        field: def.unique,
      });
    }
  }
  if (issues.length === 0 && def.validate) issues.push(...def.validate(record, ctx));
  if (issues.length > 0) throw ApiError.invalidObject(def.objectName, issues);

  def.derive?.(record, ctx);
  const previousInfo = (existing?._info ?? {}) as Record<string, string>;
  record._info = {
    lastUpdated: ctx.now,
    updatedBy: ctx.member.identifier,
    dateEntered: previousInfo.dateEntered ?? ctx.now,
    enteredBy: previousInfo.enteredBy ?? ctx.member.identifier,
  };
  return ordered(def, record);
}

/** Keys in the resource's field order, nulls and undefined left out (as ConnectWise omits them). */
function ordered(def: ResourceDef, record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(def.fields)) {
    const value = record[name];
    if (value !== undefined && value !== null) out[name] = value;
  }
  return out;
}

function resolveReference(
  def: ResourceDef,
  field: string,
  spec: FieldSpec,
  value: Record<string, unknown>,
  ctx: WriteContext,
  issues: ValidationIssue[],
): Record<string, unknown> {
  const refSpec = spec.ref!;
  if (!refSpec.target) {
    const kept: Record<string, unknown> = {};
    for (const key of ['id', ...refSpec.show]) if (value[key] !== undefined && value[key] !== null) kept[key] = value[key];
    return kept;
  }
  const targetDef = resourceByKey(refSpec.target);
  let target: SimRecord | undefined;
  let shown: string;
  if (typeof value.id === 'number') {
    target = ctx.state.get(refSpec.target, value.id);
    shown = String(value.id);
  } else if (typeof value.identifier === 'string' && targetDef?.unique === 'identifier') {
    target = ctx.state.findUnique(refSpec.target, value.identifier);
    shown = value.identifier;
  } else if (typeof value.name === 'string') {
    const name = value.name.toLowerCase();
    target = ctx.state.list(refSpec.target).find((r) => typeof r.name === 'string' && r.name.toLowerCase() === name);
    shown = value.name;
  } else {
    issues.push({ code: 'MissingRequiredField', message: `The ${field} id is required.`, resource: def.objectName, field: `${field}/id` });
    return value;
  }
  if (!target) {
    issues.push({
      code: 'NotFound',
      message: `${targetDef?.thing ?? field} ${shown} not found`,
      resource: def.objectName,
      field: `${field}/id`,
    });
    return value;
  }
  const display = refSpec.display ? refSpec.display(target) : pick(target, refSpec.show);
  return { id: target.id, ...display };
}

function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (record[key] !== undefined && record[key] !== null) out[key] = record[key];
  return out;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Json.NET-like conversion of one body value; a value it could not convert is answered per `style`. */
export function convert(raw: unknown, spec: FieldSpec, path: string, style: ConversionStyle): unknown {
  const fail = (): never => {
    if (style === 'patch') {
      const from = Array.isArray(raw) ? 'System.Object[]' : typeof raw === 'object' ? 'Newtonsoft.Json.Linq.JObject' : typeof raw === 'string' ? 'System.String' : typeof raw === 'boolean' ? 'System.Boolean' : 'System.Double';
      throw ApiError.invalidPatch(`Could not cast or convert from ${from} to ${spec.netType}.`);
    }
    throw ApiError.conversion(raw, spec.netType, path);
  };
  switch (spec.kind) {
    case 'string':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      return fail();
    case 'integer': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      return fail();
    }
    case 'number': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      return fail();
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
      return fail();
    case 'datetime': {
      if (typeof raw !== 'string') return fail();
      const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
      return Number.isNaN(ms) ? fail() : isoSeconds(ms);
    }
    case 'enum': {
      // Json.NET's string-enum converter matches names case-insensitively.
      const match = typeof raw === 'string' ? spec.values?.find((v) => v.toLowerCase() === raw.toLowerCase()) : undefined;
      return match ?? fail();
    }
    case 'ref':
      return isReference(raw) ? normalizeReference(raw as Record<string, unknown>, path, style) : fail();
    case 'refList':
      return Array.isArray(raw) && raw.every(isReference)
        ? raw.map((item) => normalizeReference(item as Record<string, unknown>, path, style))
        : fail();
    case 'array':
      return Array.isArray(raw) ? structuredClone(raw) : fail();
    case 'object':
      return typeof raw === 'object' ? structuredClone(raw) : fail();
  }
}

const isReference = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

function normalizeReference(raw: Record<string, unknown>, path: string, style: ConversionStyle): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  delete out._info;
  if (raw.id !== undefined && raw.id !== null) {
    const id = typeof raw.id === 'string' && raw.id.trim() !== '' ? Number(raw.id) : raw.id;
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      return convert(raw.id, { kind: 'integer', netType: 'System.Nullable`1[System.Int32]' }, `${path}.id`, style) as never;
    }
    out.id = id;
  } else {
    delete out.id;
  }
  return out;
}
