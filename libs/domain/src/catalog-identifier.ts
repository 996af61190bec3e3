import { createHash } from 'node:crypto';
import { cutAtCodePoint, isControlCharacter, replaceControlCharacters } from './text';

/** ConnectWise CatalogItem.identifier max length (API notes §10.6). */
export const CATALOG_IDENTIFIER_MAX = 75;
/** ConnectWise CatalogItem.description max length (API notes §10.6). */
export const CATALOG_DESCRIPTION_MAX = 60;
/** ConnectWise CatalogItem.customerDescription max length (API notes §10.6). */
export const CATALOG_CUSTOMER_DESCRIPTION_MAX = 6000;

/** Hex digits of SHA-256 kept in a hashed identifier: 64 bits. */
const HASH_HEX_LENGTH = 16;
const HASH_SEPARATOR = '~';
/** The tail every hashed identifier ends with, and no verbatim one may (case-insensitive, like ConnectWise look-ups). */
const HASHED_TAIL = new RegExp(`${HASH_SEPARATOR}[0-9a-f]{${HASH_HEX_LENGTH}}$`, 'i');
const PREFIX_MAX = CATALOG_IDENTIFIER_MAX - HASH_SEPARATOR.length - HASH_HEX_LENGTH;
const FALLBACK_PREFIX = 'SKU';

/**
 * The ConnectWise catalog identifier for a platform SKU. Deterministic, and different SKUs never share one:
 *
 * - a SKU of 1–75 characters with no control characters, no leading or trailing space, and not ending like a
 *   hashed identifier is used verbatim;
 * - any other SKU becomes `<first 58 characters, cleaned>~<16 hex digits of SHA-256 of the whole SKU>`.
 *
 * Verbatim identifiers never end in `~` + 16 hex digits and hashed ones always do, so the two sets cannot
 * meet; verbatim ones are the SKU itself; hashed ones differ unless 64-bit hashes collide.
 * (Two SKUs that differ only by letter case are caught by the catalog plan: ConnectWise compares case-insensitively.)
 */
export function catalogIdentifierFor(sku: string): string {
  if (isVerbatimIdentifier(sku)) return sku;
  const hash = createHash('sha256').update(sku, 'utf8').digest('hex').slice(0, HASH_HEX_LENGTH);
  const cleaned = replaceControlCharacters(sku, '').trim();
  const prefix = cutAtCodePoint(cleaned, PREFIX_MAX).trimEnd() || FALLBACK_PREFIX;
  return `${prefix}${HASH_SEPARATOR}${hash}`;
}

function isVerbatimIdentifier(sku: string): boolean {
  return (
    sku.length > 0 &&
    sku.length <= CATALOG_IDENTIFIER_MAX &&
    sku === sku.trim() &&
    ![...sku].some(isControlCharacter) &&
    !HASHED_TAIL.test(sku)
  );
}

/** How ConnectWise matches identifiers: case-insensitively, ignoring surrounding spaces. */
export function identifierKey(identifier: string): string {
  return identifier.trim().toLowerCase();
}
