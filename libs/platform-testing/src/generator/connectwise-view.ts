import { drawCompanyName, formatName, identifierFor, nameKey, vary, type CompanyName, type NameVariation } from './names';
import { Random } from './prng';
import type { ConnectWiseCompany, ConnectWiseMatch, ConnectWiseView, GeneratedAccount, ResolvedGenerateOptions } from './types';
import { ALL_LEGAL_FORMS, COUNTRIES, TRADES } from './words';

/** How ConnectWise's name of the same company tends to differ from the platform's. */
const COMPANY_VARIANTS: readonly (readonly [NameVariation, number])[] = [
  ['legal-form-removed', 4],
  ['legal-form-changed', 4],
  ['legal-form-added', 2],
  ['case', 2],
  ['ampersand', 2],
  ['abbreviation', 2],
  ['typo', 2],
  ['punctuation', 1],
];

/** First ConnectWise company id, as a tenant that has been in use for a while would have. */
const FIRST_COMPANY_ID = 250;

/**
 * The partner's ConnectWise companies as the demo sees them: for a share of accounts a company whose
 * name is a realistic variant of the account's clean name, plus unrelated companies (some sharing a
 * surname or place with an account: hard negatives). Ids are assigned in a shuffled order, so neither
 * id nor list order gives the answer away.
 */
export function buildConnectWiseView(
  options: ResolvedGenerateOptions,
  accounts: readonly GeneratedAccount[],
  usedNames: ReadonlySet<string>,
): ConnectWiseView {
  const rng = Random.derive(options.seed, options.partnerId, 'connectwise');
  const drafts: { name: string; accountId?: string; variations: NameVariation[] }[] = [];
  accounts.forEach((a, i) => {
    const accountRng = Random.derive(options.seed, options.partnerId, 'connectwise', i);
    if (!accountRng.chance(options.connectwiseShare)) return;
    const country = COUNTRIES.find((c) => c.code === a.country) ?? COUNTRIES[0];
    const clean = splitLegalForm(a.cleanName);
    // A noisy account is often held cleanly in ConnectWise; a clean one rarely word for word.
    const identical = accountRng.chance(a.nameVariations.length > 0 ? 0.6 : 0.15);
    const variant = identical ? { name: clean, variations: [] } : vary(accountRng, clean, country, COMPANY_VARIANTS, accountRng.chance(0.25) ? 2 : 1);
    drafts.push({ name: formatName(variant.name), accountId: a.account.id, variations: variant.variations });
  });

  const taken = new Set(usedNames);
  for (let n = 0; n < options.unrelatedCompanies; n += 1) {
    const name = unrelatedName(rng, accounts, taken);
    if (name) drafts.push({ name, variations: [] });
  }

  const companies: ConnectWiseCompany[] = [];
  const matches: ConnectWiseMatch[] = [];
  const identifiers = new Set<string>();
  rng.shuffle(drafts).forEach((draft, k) => {
    const id = FIRST_COMPANY_ID + k;
    companies.push({ id, identifier: uniqueIdentifier(draft.name, identifiers), name: draft.name });
    if (draft.accountId) matches.push({ accountId: draft.accountId, companyId: id, companyVariations: draft.variations });
  });
  matches.sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  return { companies, matches };
}

/** An unrelated company: a fresh name, or (30 %) an account's name with another trade. */
function unrelatedName(rng: Random, accounts: readonly GeneratedAccount[], taken: Set<string>): string | undefined {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    let name: CompanyName;
    if (accounts.length > 0 && rng.chance(0.3)) {
      const near = splitLegalForm(rng.pick(accounts).cleanName);
      const words = near.base.split(' ');
      words[words.length - 1] = rng.pick(TRADES);
      name = { base: words.join(' '), legalForm: near.legalForm };
    } else {
      name = drawCompanyName(rng, rng.pick(COUNTRIES));
    }
    const key = nameKey(name.base);
    if (!taken.has(key)) {
      taken.add(key);
      return formatName(name);
    }
  }
  return undefined;
}

/** Splits a trailing legal form off a name the generator formatted. */
export function splitLegalForm(name: string): CompanyName {
  const form = ALL_LEGAL_FORMS.find((f) => name.endsWith(` ${f}`));
  return form ? { base: name.slice(0, -form.length - 1), legalForm: form } : { base: name };
}

function uniqueIdentifier(name: string, used: Set<string>): string {
  const base = identifierFor(name);
  let identifier = base;
  for (let n = 2; used.has(identifier.toLowerCase()); n += 1) {
    identifier = `${base.slice(0, 25 - String(n).length)}${n}`;
  }
  used.add(identifier.toLowerCase());
  return identifier;
}
