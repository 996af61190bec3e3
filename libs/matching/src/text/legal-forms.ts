import cleanco from '../../lexicon/legal-forms-cleanco.json';
import dnbLegal from '../../lexicon/legal-forms-dnb.json';
import { tokenize } from './tokenize';

/**
 * Legal-form terms ("Inc.", "GmbH", "Pty Ltd", "Sociedad Anónima", ...) from cleanco's term list by type and
 * DNB's abbreviation list (see libs/matching/data/README.md). Each term is tokenised like a name, so
 * "S.A." and "SA" are the same term. A term belongs to one or more kinds (cleanco's types; a DNB full name
 * shares the kinds of its abbreviation). Two legal forms agree when their kinds overlap: "Inc" and "Corp"
 * agree (both "Corporation"), "LLC" and "Inc" do not.
 */
export interface LegalForm {
  /** The term's tokens, e.g. ["pty", "ltd"]. */
  readonly tokens: readonly string[];
  /** Kinds the term belongs to. */
  readonly kinds: ReadonlySet<string>;
}

/** Longest legal-form term, in tokens; bounds the suffix search. */
const MAX_TERM_TOKENS = 8;
/** At most this many legal-form terms are peeled off one name ("Co., Ltd." is two). */
const MAX_TERMS_PER_NAME = 3;

/**
 * Spellings of the same legal word, so "Public Ltd Co" and "Public Limited Company" are one term; applied to
 * the table's keys and to the names looked up.
 */
const LEGAL_SYNONYMS: Readonly<Record<string, string>> = {
  ltd: 'limited',
  co: 'company',
  corp: 'corporation',
  inc: 'incorporated',
  pub: 'public',
};

/** English long forms missing from both lists, given the kinds of a listed abbreviation. */
const EXTRA_TERMS: readonly [term: string, sameKindsAs: string][] = [
  ['public limited company', 'plc'],
  ['limited liability company', 'llc'],
  ['limited liability partnership', 'llp'],
  ['limited partnership', 'lp'],
];

function termKey(tokens: readonly string[]): string {
  return tokens.map((t) => LEGAL_SYNONYMS[t] ?? t).join(' ');
}

/** Every term written without spaces, as listed and with synonyms ("coltd", "companylimited"); for identifiers. */
const SQUASHED = new Set<string>();

const NUMERAL = /^(?:[ivx]+|\d+)$/;

function buildTable(): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  const keyOf = (term: string): string | null => {
    const tokens = tokenize(term);
    // A lone letter ("g", "s") is far more often an initial than a legal form, and a numeral ("II", DNB's list
    // has it) names the entity ("Harbor Income Fund II, Inc." is not "Harbor Income Fund, Inc.").
    const joined = tokens.join('');
    return joined.length < 2 || NUMERAL.test(joined) || tokens.length > MAX_TERM_TOKENS ? null : termKey(tokens);
  };
  const add = (term: string, kinds: Iterable<string>, overwrite: boolean): void => {
    const key = keyOf(term);
    if (key === null) return;
    SQUASHED.add(tokenize(term).join(''));
    SQUASHED.add(key.replace(/ /g, ''));
    if (!overwrite && table.has(key)) return;
    const set = table.get(key) ?? new Set<string>();
    for (const k of kinds) set.add(k);
    table.set(key, set);
  };
  // cleanco's types are the kinds; DNB's list only adds terms cleanco lacks, with its abbreviation's kinds.
  for (const [kind, terms] of Object.entries(cleanco.terms_by_type)) {
    for (const term of terms) add(term, [kind], true);
  }
  const cleancoKeys = new Set(table.keys());
  for (const { abbreviation, fullName } of dnbLegal.terms) {
    const abbrKey = keyOf(abbreviation);
    const known = abbrKey !== null && cleancoKeys.has(abbrKey) ? table.get(abbrKey) : undefined;
    const kinds = known ? [...known] : [`dnb:${keyOf(fullName) ?? abbreviation}`];
    add(abbreviation, kinds, false);
    add(fullName, kinds, false);
  }
  for (const [term, alias] of EXTRA_TERMS) add(term, table.get(keyOf(alias) ?? '') ?? [term], false);
  return table;
}

const TABLE = buildTable();

export interface LegalSplit {
  /** Tokens before the legal form(s). */
  readonly core: string[];
  /** Peeled legal forms, outermost last (as written). Empty when the name has none. */
  readonly forms: LegalForm[];
}

/**
 * Peels legal-form terms off the END of a token list (never the first token, so a name is never emptied):
 * "acme holdings co ltd" → core ["acme", "holdings"], forms [co, ltd].
 */
export function splitLegalForms(tokens: readonly string[]): LegalSplit {
  let end = tokens.length;
  const forms: LegalForm[] = [];
  while (forms.length < MAX_TERMS_PER_NAME && end > 1) {
    let found: LegalForm | null = null;
    for (let len = Math.min(MAX_TERM_TOKENS, end - 1); len >= 1; len--) {
      const slice = tokens.slice(end - len, end);
      const kinds = TABLE.get(termKey(slice));
      if (kinds) {
        found = { tokens: slice, kinds };
        break;
      }
    }
    if (!found) break;
    forms.unshift(found);
    end -= found.tokens.length;
  }
  return { core: tokens.slice(0, end), forms };
}

/** Whether a squashed string ("inc", "corporation", "coltd") is a legal-form term written without spaces. */
export function isSquashedLegalForm(text: string): boolean {
  return text.length >= 2 && SQUASHED.has(text);
}

/**
 * How two names' legal forms compare: 'identical' terms ("Corp." / "Corporation"), 'same' kinds
 * ("Inc" / "Corp"), 'different' kinds ("Ltd" / "PLC"), or one or both 'missing'.
 */
export type LegalAgreement = 'identical' | 'same' | 'different' | 'missing';

export function compareLegalForms(a: readonly LegalForm[], b: readonly LegalForm[]): LegalAgreement {
  if (a.length === 0 || b.length === 0) return 'missing';
  if (a.map((f) => termKey(f.tokens)).join('|') === b.map((f) => termKey(f.tokens)).join('|')) return 'identical';
  const kindsA = new Set(a.flatMap((f) => [...f.kinds]));
  for (const f of b) for (const k of f.kinds) if (kindsA.has(k)) return 'same';
  return 'different';
}
