import { CatalogMatcher, type CatalogOutcome } from '@cwx/matching';

/** A small MSP catalog (invented; codes in the style of the simulator's seed). */
const ITEMS = [
  { id: 1, identifier: 'M365-BP', description: 'Microsoft 365 Business Premium', vendorSku: 'CFQ7TTC0LCHC' },
  { id: 2, identifier: 'M365-E3', description: 'Microsoft 365 E3' },
  { id: 3, identifier: 'M365-E5', description: 'Microsoft 365 E5' },
  { id: 4, identifier: 'BACKUP-100GB', description: 'Cloud Backup 100 GB' },
  { id: 5, identifier: 'BACKUP-200GB', description: 'Cloud Backup 200 GB' },
  { id: 6, identifier: 'AV-ENDPOINT', description: 'Endpoint Protection', manufacturerPartNumber: 'EP-2024-STD' },
  { id: 7, identifier: 'TEAMS-ROOM-A', description: 'Teams Rooms Pro', vendorSku: 'MTR-PRO' },
  { id: 8, identifier: 'TEAMS-ROOM-B', description: 'Teams Rooms Pro (annual)', vendorSku: 'MTR-PRO' },
];

function suggested(o: CatalogOutcome): number | null {
  return o.kind === 'suggestion' ? o.suggestion.catalogItemId : null;
}

describe('CatalogMatcher: a ConnectWise catalog item for each platform SKU', () => {
  const m = new CatalogMatcher(ITEMS);

  it('by code: identifier, vendor SKU or manufacturer part number, case and punctuation aside', () => {
    expect(m.match({ sku: 'm365bp', name: 'Business Premium' })).toEqual({
      kind: 'suggestion',
      suggestion: { catalogItemId: 1, score: 1, tier: 'exact', reason: "identifier 'M365-BP' is the SKU 'm365bp'" },
    });
    expect(suggested(m.match({ sku: 'CFQ7TTC0LCHC', name: 'M365 BP (NCE)' }))).toBe(1);
    const mpn = m.match({ sku: 'ep-2024-std', name: 'AV' });
    expect(mpn).toMatchObject({ kind: 'suggestion', suggestion: { catalogItemId: 6, reason: "manufacturer part number 'EP-2024-STD' is the SKU 'ep-2024-std'" } });
  });

  it('by description when no code matches, with the tier and the reason', () => {
    const e5 = m.match({ sku: 'MS-E5-NCE-ANNUAL', name: 'Microsoft 365 E5' });
    expect(e5).toMatchObject({ kind: 'suggestion', suggestion: { catalogItemId: 3, tier: 'exact', reason: 'description: same name (ignoring case and punctuation)' } });
  });

  it('never offers a product whose number differs, nor one that is merely alike', () => {
    expect(m.match({ sku: 'BKP-300', name: 'Cloud Backup 300 GB' }).kind).toBe('none');
    expect(m.match({ sku: 'TP-STD', name: 'Teams Phone Standard' }).kind).toBe('none');
    expect(m.match({ sku: 'M365-E1', name: 'Microsoft 365 E1' }).kind).toBe('none');
  });

  it('calls a code carried by two items ambiguous and shows both', () => {
    const o = m.match({ sku: 'MTR-PRO', name: 'Teams Rooms Pro' });
    expect(o.kind).toBe('ambiguous');
    if (o.kind === 'ambiguous') {
      expect(o.ambiguous.reason).toBe("2 catalog items carry the code 'MTR-PRO'");
      expect(o.ambiguous.candidates.map((c) => c.catalogItemId)).toEqual([7, 8]);
    }
  });
});
