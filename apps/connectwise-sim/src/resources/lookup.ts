import { type FieldMap, int, list, readOnly, required, str } from './field-spec';
import type { ResourceDef } from './resource-def';

/**
 * A setup table (agreement types aside): `{id, name, …flags, _info}`, guarded by System/Table_Setup,
 * full CRUD, with its boolean flags defaulting to false.
 */
export function lookupTable(options: { key: string; thing: string; objectName: string; fields: FieldMap; path?: string }): ResourceDef {
  const flags = Object.entries(options.fields)
    .filter(([, spec]) => spec.kind === 'boolean')
    .map(([name]) => name);
  return {
    key: options.key,
    path: options.path ?? options.key,
    thing: options.thing,
    objectName: options.objectName,
    security: { module: 'System', fn: 'Table_Setup' },
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    fields: { id: readOnly(int()), name: required(str(50)), ...options.fields, _info: readOnly(list()) },
    defaults(record) {
      for (const flag of flags) record[flag] ??= false;
    },
  };
}
