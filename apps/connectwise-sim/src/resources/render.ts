import type { FieldSpec } from './field-spec';
import type { ResourceDef } from './resource-def';

/**
 * The JSON ConnectWise would answer for a stored record: fields in the resource's order, null fields
 * left out, references carrying `_info.<x>_href` links under `hrefBase`
 * (e.g. `http://127.0.0.1:4010/v4_6_release/apis/3.0/`).
 */
export function renderRecord(def: ResourceDef, record: Readonly<Record<string, unknown>>, hrefBase: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(def.fields)) {
    const value = record[name];
    if (value === undefined || value === null) continue;
    if (spec.kind === 'ref') out[name] = renderReference(spec, value as Record<string, unknown>, hrefBase);
    else if (spec.kind === 'refList') out[name] = (value as Record<string, unknown>[]).map((v) => renderReference(spec, v, hrefBase));
    else if (typeof value === 'object') out[name] = structuredClone(value);
    else out[name] = value;
  }
  return out;
}

function renderReference(spec: FieldSpec, value: Record<string, unknown>, hrefBase: string): Record<string, unknown> {
  const { hrefPath, hrefKey } = spec.ref!;
  if (typeof value.id !== 'number') return { ...value };
  return { ...value, _info: { [hrefKey]: `${hrefBase}${hrefPath}/${value.id}` } };
}
