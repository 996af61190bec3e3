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

function buildTable(): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  const add = (term: string, kinds: Iterable<string>): void => {
    const tokens = tokenize(term);
    if (tokens.length === 0 || tokens.length > MAX_TERM_TOKENS) return;
    const key = tokens.join(' ');
    const set = table.get(key) ?? new Set<string>();
    for (const k of kinds) set.add(k);
    table.set(key, set);
  };
  for (const [kind, terms] of Object.entries(cleanco.terms_by_type)) {
    for (const term of terms) add(term, [kind]);
  }
  for (const { abbreviation, fullName } of dnbLegal.terms) {
    const abbrKinds = table.get(tokenize(abbreviation).join(' '));
    const kinds = abbrKinds && abbrKinds.size > 0 ? [...abbrKinds] : [`dnb:${tokenize(fullName).join(' ')}`];
    add(abbreviation, kinds);
    add(fullName, kinds);
  }
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
      const kinds = TABLE.get(slice.join(' '));
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
  return SQUASHED.has(text);
}

const SQUASHED: ReadonlySet<string> = new Set([...TABLE.keys()].map((k) => k.replace(/ /g, '')).filter((k) => k.length >= 2));

/** How two names' legal forms compare: 'same' kinds, 'different' kinds, or one or both 'missing'. */
export type LegalAgreement = 'same' | 'different' | 'missing';

export function compareLegalForms(a: readonly LegalForm[], b: readonly LegalForm[]): LegalAgreement {
  if (a.length === 0 || b.length === 0) return 'missing';
  const kindsA = new Set(a.flatMap((f) => [...f.kinds]));
  for (const f of b) for (const k of f.kinds) if (kindsA.has(k)) return 'same';
  return 'different';
}
