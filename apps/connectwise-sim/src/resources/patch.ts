import { ApiError } from '../http/api-error';
import type { SimRecord } from '../simulator/state';
import { buildRecord } from './normalize';
import type { ResourceDef, WriteContext } from './resource-def';

interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/**
 * Applies a ConnectWise PATCH body (`[{op, path, value}]`) to a stored record and returns the record
 * to store. Paths name top-level fields, case-sensitively (Developer Guide). A leading slash
 * (`/quantity`, JSON-Patch style) is accepted too: whether the real server does is unverified, and
 * clients in the wild send both. A path into a reference (`company/identifier`) is refused with 400:
 * the guide says to replace the whole object and warns the server may answer a false 200.
 */
export function applyPatch(def: ResourceDef, existing: SimRecord, body: unknown, ctx: WriteContext): Record<string, unknown> {
  if (!Array.isArray(body)) {
    throw ApiError.invalidPatch('The patch document must be an array of operations, e.g. [{"op":"replace","path":"name","value":"x"}].');
  }
  const operations = body.map(parseOperation);
  const input: Record<string, unknown> = structuredClone(existing);
  for (const operation of operations) {
    const field = operation.path;
    if (!(field in def.fields)) throw ApiError.invalidPatch(`path ${operation.path} is not valid`);
    if (operation.op === 'remove') {
      delete input[field];
      continue;
    }
    const resets = def.resetWhenChanged?.[field];
    if (resets && changed(existing[field], operation.value)) {
      for (const reset of resets) if (!operations.some((o) => o.path === reset)) delete input[reset];
    }
    input[field] = operation.value;
  }
  return buildRecord(def, input, { ...ctx, existing }, 'replace', 'patch');
}

function parseOperation(raw: unknown): PatchOperation {
  if (typeof raw !== 'object' || raw === null) throw ApiError.invalidPatch('Each patch operation must be an object with op, path and value.');
  const { op, path, value } = raw as Record<string, unknown>;
  const verb = typeof op === 'string' ? op.toLowerCase() : undefined;
  if (verb !== 'add' && verb !== 'replace' && verb !== 'remove') {
    throw ApiError.invalidPatch(`op ${String(op)} is not valid; use add, replace or remove.`);
  }
  if (typeof path !== 'string' || path.replace(/^\//, '') === '') throw ApiError.invalidPatch('path is required');
  const field = path.replace(/^\//, '');
  if (field.includes('/')) {
    throw ApiError.invalidPatch(`path ${path} is not valid: replace the whole object instead of a property inside it.`);
  }
  if (verb !== 'remove' && value === undefined) throw ApiError.invalidPatch(`value is required for ${verb} ${field}`);
  return { op: verb, path: field, value };
}

function changed(before: unknown, after: unknown): boolean {
  if (typeof before === 'object' && before !== null && typeof after === 'object' && after !== null) {
    return (before as { id?: unknown }).id !== (after as { id?: unknown }).id;
  }
  return before !== after;
}
