import { type PreparedCompany } from '../index/candidate-index';
import { type NormalizedName, squashWords } from '../text/normalize';
import { squash, tokenize } from '../text/tokenize';
import { type PairDetails, type PairFeatures } from './features';

/** The legal-form words as written at the end of `name` ("Acme, Inc." → "Inc."), or '' when none. */
export function legalSuffixText(name: NormalizedName): string {
  const wanted = name.legalForms.reduce((n, f) => n + f.tokens.length, 0);
  if (wanted === 0) return '';
  const pieces = name.original.trim().split(/\s+/);
  while (pieces.length > 1 && tokenize(pieces[pieces.length - 1]).length === 0) pieces.pop();
  let count = 0;
  let i = pieces.length;
  while (i > 0 && count < wanted) {
    i--;
    count += tokenize(pieces[i]).length;
  }
  return count === wanted ? pieces.slice(i).join(' ').replace(/^[,;\s]+/, '') : name.legalForms.map((f) => f.tokens.join(' ')).join(' ');
}

/** The name's own spelling of some of its canonical words ("boy and girl" → "boys and girls"). */
function asWritten(words: readonly string[], name: NormalizedName): string {
  const start = name.tokens.indexOf(words[0]);
  const slice = start >= 0 ? name.coreWords.slice(start, start + words.length) : [];
  return slice.length === words.length ? slice.join(' ') : words.join(' ');
}

function quoted(s: string): string {
  return `'${s}'`;
}

function legalNote(account: NormalizedName, company: NormalizedName, d: PairDetails): string {
  const a = legalSuffixText(account);
  const c = legalSuffixText(company);
  if (d.legal === 'different') return `legal forms differ (${quoted(a)} vs ${quoted(c)})`;
  if (a && !c) return `after removing ${quoted(a)}`;
  if (c && !a) return `after removing ${quoted(c)}`;
  if (a && c && squash(a) !== squash(c)) return `with legal form ${quoted(a)} read as ${quoted(c)}`;
  return '';
}

function withNote(text: string, note: string): string {
  if (!note) return text;
  return note.startsWith('legal forms differ') ? `${text}, but ${note}` : `${text} ${note}`;
}

/** A short, checkable explanation of why the company was proposed. */
export function describeMatch(account: NormalizedName, company: PreparedCompany, f: PairFeatures, d: PairDetails): string {
  const c = company.name;
  const note = legalNote(account, c, d);
  if (account.rawTokens.join(' ') === c.rawTokens.join(' ')) return 'same name (ignoring case and punctuation)';
  if (d.identifierKind === 'exact') return `identifier ${quoted(company.record.identifier ?? '')} matches squashed name`;
  if (d.identifierKind === 'truncated') return `identifier ${quoted(company.record.identifier ?? '')} is the squashed name, truncated`;
  if (f.sameWords === 1) {
    const ordered = squashWords(account.tokens) === squashWords(c.tokens);
    const expanded = account.coreSquashed !== c.coreSquashed;
    const base = ordered ? (expanded ? 'same name with abbreviations expanded' : 'same name') : 'same words in a different order';
    return withNote(base, note);
  }
  if (f.sameSquashed === 1) return withNote('same name once spaces and punctuation are ignored', note);
  if (d.identifierKind === 'core') return withNote(`name matches identifier ${quoted(company.record.identifier ?? '')}`, note);
  if (d.acronyms.length > 0) {
    const { acronym, words, inCompany } = d.acronyms[0];
    const shown = acronym.includes(' ') ? acronym.replace(/ and /g, ' & ').toUpperCase() : acronym.toUpperCase();
    return withNote(`${quoted(shown)} read as the acronym of ${quoted(asWritten(words, inCompany ? c : account))}`, note);
  }
  const words = Math.round(Math.min(f.accountCovered, f.companyCovered) * 100);
  const chars = Math.round(f.trigram * 100);
  return withNote(`similar names (words ${words}%, characters ${chars}%)`, note);
}
