import { missingPermissions, REQUIRED_PERMISSIONS } from './permissions';
import type { MySecurity } from './types';

function allOf(level: 'All' | 'My' | 'None'): MySecurity[] {
  return REQUIRED_PERMISSIONS.map((p) => ({
    moduleIdentifier: p.moduleIdentifier,
    moduleFunctionIdentifier: p.moduleFunctionIdentifier,
    addLevel: level,
    editLevel: level,
    deleteLevel: level,
    inquireLevel: level,
  }));
}

describe('missingPermissions', () => {
  it('finds nothing missing for a role with All everywhere', () => {
    expect(missingPermissions(allOf('All'))).toEqual([]);
  });

  it('lists each action below All, with the actual level', () => {
    const rows = allOf('All').map((r) => (r.moduleFunctionIdentifier === 'Agreements' ? { ...r, addLevel: 'None' as const, editLevel: 'My' as const } : r));
    expect(missingPermissions(rows)).toEqual([
      expect.objectContaining({ need: 'agreements', action: 'add', required: 'All', actual: 'None' }),
      expect.objectContaining({ need: 'agreements', action: 'edit', actual: 'My' }),
    ]);
  });

  it('treats an absent function as None for every needed action', () => {
    const rows = allOf('All').filter((r) => r.moduleFunctionIdentifier !== 'Product_Catalog');
    expect(missingPermissions(rows).map((m) => `${m.need}:${m.action}`)).toEqual(['catalog:inquire', 'catalog:add', 'catalog:edit']);
  });

  it('matches names with spaces and other casing', () => {
    const rows: MySecurity[] = allOf('All').map((r) => ({
      moduleName: r.moduleIdentifier?.toUpperCase(),
      moduleFunctionName: r.moduleFunctionIdentifier?.replace(/_/g, ' '),
      addLevel: 'All',
      editLevel: 'All',
      inquireLevel: 'All',
    }));
    expect(missingPermissions(rows)).toEqual([]);
  });

  it('does not take a function from another module', () => {
    const rows = allOf('All').map((r) => (r.moduleFunctionIdentifier === 'Contacts' ? { ...r, moduleIdentifier: 'Marketing' } : r));
    expect(missingPermissions(rows).map((m) => m.need)).toEqual(['contacts', 'contacts']);
  });
});
