import { createHash } from 'node:crypto';
import { CATALOG_IDENTIFIER_MAX, catalogIdentifierFor } from './catalog-identifier';
import { truncateText } from './text';

const HASHED = /~[0-9a-f]{16}$/;

describe('catalogIdentifierFor', () => {
  it.each([
    ['M365-BP', 'M365-BP'],
    ['a'.repeat(75), 'a'.repeat(75)],
    ['Ünïcode SKU', 'Ünïcode SKU'],
  ])('uses a SKU that fits as it is: %s', (sku, expected) => {
    expect(catalogIdentifierFor(sku)).toBe(expected);
  });

  it.each([
    { label: '76 characters', sku: 'a'.repeat(76) },
    { label: '300 characters', sku: 'x'.repeat(300) },
    { label: 'leading space', sku: ' M365-BP' },
    { label: 'trailing space', sku: 'M365-BP ' },
    { label: 'a newline inside', sku: 'M365\nBP' },
    { label: 'empty', sku: '' },
    { label: 'shaped like a hashed identifier', sku: 'abc~0123456789abcdef' },
    { label: 'shaped like a hashed identifier, upper case', sku: 'abc~0123456789ABCDEF' },
  ])('hashes a SKU with $label', ({ sku }) => {
    const identifier = catalogIdentifierFor(sku);

    expect(identifier).toMatch(HASHED);
    expect(identifier.length).toBeLessThanOrEqual(CATALOG_IDENTIFIER_MAX);
    expect(identifier).not.toBe(sku);
    expect(identifier.endsWith(createHash('sha256').update(sku).digest('hex').slice(0, 16))).toBe(true);
  });

  it('keeps a readable prefix of a long SKU', () => {
    const sku = `Microsoft 365 Business Premium (annual commitment, monthly billing) - NCE - ${'x'.repeat(40)}`;

    expect(catalogIdentifierFor(sku)).toMatch(/^Microsoft 365 Business Premium \(annual commitment, monthly~[0-9a-f]{16}$/);
  });

  it('never splits a surrogate pair at the cut', () => {
    const sku = `${'a'.repeat(57)}😀${'b'.repeat(40)}`;

    const identifier = catalogIdentifierFor(sku);

    expect(identifier.startsWith(`${'a'.repeat(57)}~`)).toBe(true);
    expect(identifier).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('is deterministic', () => {
    const sku = `SKU-${'z'.repeat(100)}`;

    expect(catalogIdentifierFor(sku)).toBe(catalogIdentifierFor(sku));
  });

  it('gives 20,000 long SKUs sharing a 90-character prefix 20,000 distinct identifiers, even ignoring case, all within 75 characters', () => {
    const prefix = 'VENDOR-PRODUCT-FAMILY-'.padEnd(90, 'Q');
    const skus = Array.from({ length: 20_000 }, (_, i) => `${prefix}${i}${i % 2 === 0 ? '-annual' : ''}`);
    const withCaseTwins = [...skus, ...skus.slice(0, 500).map((sku) => sku.toLowerCase())];

    const identifiers = withCaseTwins.map(catalogIdentifierFor);

    expect(new Set(identifiers.map((id) => id.toLowerCase())).size).toBe(withCaseTwins.length);
    expect(Math.max(...identifiers.map((id) => id.length))).toBeLessThanOrEqual(CATALOG_IDENTIFIER_MAX);
  });

  it('never lets a short SKU take a long SKU\'s identifier', () => {
    const long = 'L'.repeat(120);
    const impostor = catalogIdentifierFor(long);

    expect(catalogIdentifierFor(impostor)).not.toBe(impostor);
    expect(catalogIdentifierFor(impostor.toUpperCase()).toLowerCase()).not.toBe(impostor.toLowerCase());
  });
});

describe('truncateText', () => {
  it.each([
    { label: 'fits', text: 'Microsoft 365 Business Premium', max: 60, expected: 'Microsoft 365 Business Premium' },
    { label: 'exactly fits', text: 'x'.repeat(60), max: 60, expected: 'x'.repeat(60) },
    { label: 'cut at a word', text: 'Microsoft 365 Business Premium and Defender for Business bundle', max: 60, expected: 'Microsoft 365 Business Premium and Defender for Business…' },
    { label: 'one long word', text: 'y'.repeat(80), max: 60, expected: `${'y'.repeat(59)}…` },
    { label: 'surrogate pair at the cut', text: `${'a'.repeat(58)}😀zzz`, max: 60, expected: `${'a'.repeat(58)}…` },
  ])('$label', ({ text, max, expected }) => {
    const result = truncateText(text, max);

    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(max);
  });
});
