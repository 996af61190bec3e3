import { CompanyMatcher, type MatchOutcome } from '@cwx/matching';

/**
 * The four wrong-suggestion patterns of issue 20, on hand-written sets shaped like an MSP's customer list
 * (invented names written for these tests; no public data). Each set mixes the trap with ordinary neighbours,
 * so the words weigh as they would in a real list.
 */
const NEIGHBOURS = [
  'Bayview Family Law, PLLC',
  'Cedar Ridge Veterinary Hospital',
  'Gate City Plumbing & Heating',
  'North Shore Dental Group',
  'Pinecrest Orthodontics',
  'Summit Roofing Inc.',
  'Valley Credit Union',
  'Westside Montessori School',
  'Redwood Title & Escrow',
  'Old Mill Brewing Co.',
];

function matcherOf(names: readonly string[]): { m: CompanyMatcher; id: (name: string) => number } {
  const all = [...names, ...NEIGHBOURS];
  const m = new CompanyMatcher(all.map((name, i) => ({ id: i + 1, name })));
  return {
    m,
    id: (name) => {
      const i = all.indexOf(name);
      if (i < 0) throw new Error(`no company ${name}`);
      return i + 1;
    },
  };
}

function suggested(outcome: MatchOutcome): number | string | null {
  return outcome.kind === 'suggestion' ? outcome.suggestion.companyId : null;
}

describe('pattern 1: numbered entities are different entities', () => {
  const { m, id } = matcherOf(['Harbor Income Fund, Inc.', 'Harbor Income Fund II, Inc.', 'Harbor Income Fund III, Inc.', 'Elks Lodge No. 3', 'Elks Lodge No. 14']);

  it('matches the same number however it is written (II, 2, "No. 3")', () => {
    expect(suggested(m.match({ id: 'a', name: 'Harbor Income Fund II Inc' }))).toBe(id('Harbor Income Fund II, Inc.'));
    expect(suggested(m.match({ id: 'b', name: 'Harbor Income Fund 2, Inc.' }))).toBe(id('Harbor Income Fund II, Inc.'));
    expect(suggested(m.match({ id: 'c', name: 'Elks Lodge #3' }))).toBe(id('Elks Lodge No. 3'));
    expect(suggested(m.match({ id: 'd', name: 'Harbor Income Fund, Inc.' }))).toBe(id('Harbor Income Fund, Inc.'));
  });

  it('never suggests a company whose number differs, and says why on the review list', () => {
    expect(m.match({ id: 'a', name: 'Harbor Income Fund IV, Inc.' }).kind).toBe('none');
    expect(m.match({ id: 'b', name: 'Elks Lodge No. 4' }).kind).toBe('none');
    const [top] = m.ranked({ id: 'a', name: 'Harbor Income Fund IV, Inc.' }, 1);
    expect(top.score).toBeLessThanOrEqual(0.3);
    expect(top.reason).toMatch(/^another entity: numbers differ \('4' vs /);
  });

  it('does not offer a numbered fund for the plain one when the plain one is missing', () => {
    const only = new CompanyMatcher([
      { id: 1, name: 'Harbor Income Fund II, Inc.' },
      { id: 2, name: 'Harbor Income Fund III, Inc.' },
    ]);
    expect(only.match({ id: 'a', name: 'Harbor Income Fund, Inc.' }).kind).toBe('none');
  });
});

describe('pattern 2: a name inside a longer one, glued words', () => {
  const { m, id } = matcherOf(['First Harbor Bank', 'East Holdings LLC', 'West Brook Dental Care']);

  it('does not read "Northfirst" as "First", nor "Eastgate" as "East"', () => {
    expect(m.match({ id: 'a', name: 'Northfirst Harbor Bank' }).kind).toBe('none');
    expect(m.match({ id: 'b', name: 'Eastgate Holdings LLC' }).kind).toBe('none');
    expect(m.ranked({ id: 'b', name: 'Eastgate Holdings LLC' }, 1)[0].reason).toMatch(/'east' is not 'eastgate'/);
  });

  it.each([
    ['Harborview Capital Management LLC', 'Harbor Capital Management LLC'],
    ['Parkview Medical Group', 'Park Medical Group'],
    ['Oakwood Family Dentistry', 'Oak Family Dentistry'],
    ['Woodland Insurance Agency', 'Wood Insurance Agency'],
    ['Lakeside Veterinary Clinic', 'Lake Veterinary Clinic'],
    ['Newbridge Capital Partners', 'Bridge Capital Partners'],
  ])('does not offer "%s" the company "%s" (main suggested it at 0.76–0.86)', (account, company) => {
    const alone = new CompanyMatcher([company, ...NEIGHBOURS].map((name, i) => ({ id: i + 1, name })));
    expect(alone.match({ id: 'a', name: account }).kind).toBe('none');
    expect(alone.ranked({ id: 'a', name: account }, 1)[0].reason).toMatch(/^another entity: '\w+' is not '\w+'/);
  });

  it('reads a cut word as an abbreviation when the rest is no word ("Berk" for "Berkshire")', () => {
    const m2 = new CompanyMatcher([{ id: 1, name: 'Berkshire Veterinary Hospital' }, ...NEIGHBOURS.map((name, i) => ({ id: 10 + i, name }))]);
    expect(m2.match({ id: 'a', name: 'Berk Veterinary Hospital' })).toMatchObject({ kind: 'suggestion', suggestion: { companyId: 1 } });
  });

  it('still joins words written apart or together ("Westbrook" / "West Brook")', () => {
    expect(suggested(m.match({ id: 'a', name: 'Westbrook Dental Care' }))).toBe(id('West Brook Dental Care'));
    expect(suggested(m.match({ id: 'b', name: 'First Harbor Bank' }))).toBe(id('First Harbor Bank'));
  });
});

describe('pattern 3: sibling sites of one organisation', () => {
  const family = ['Hope Center', 'Hope Center - Uptown', 'Hope Center - Lakeside', 'Grace Church Northside', 'Grace Church Southside'];
  const { m, id } = matcherOf([...family, 'Meridian Health Corp', 'Meridian Health Partners, LLC', 'Meridian Health Foundation, LLC']);

  it('calls the plain name ambiguous among its sites, and shows the candidates', () => {
    const outcome = m.match({ id: 'a', name: 'Hope Center' });
    expect(outcome.kind).toBe('ambiguous');
    if (outcome.kind !== 'ambiguous') return;
    expect(outcome.ambiguous.candidates.map((c) => c.companyId).sort()).toEqual([id('Hope Center'), id('Hope Center - Uptown'), id('Hope Center - Lakeside')].sort());
    expect(outcome.ambiguous.reason).toBe("3 companies share the name 'Hope Center' and the account's name does not say which");
    expect(m.match({ id: 'b', name: 'Grace Church' }).kind).toBe('ambiguous');
  });

  it('suggests the site the account names, and nothing for a site that has no company', () => {
    expect(suggested(m.match({ id: 'a', name: 'Hope Center \u2013 Uptown' }))).toBe(id('Hope Center - Uptown'));
    const riverside = m.match({ id: 'b', name: 'Hope Center - Riverside' });
    expect(riverside.kind).toBe('ambiguous');
    if (riverside.kind === 'ambiguous') expect(riverside.ambiguous.reason).toMatch(/none is the site 'Riverside'/);
  });

  it('never offers another site of the organisation', () => {
    const two = new CompanyMatcher([
      { id: 1, name: 'Hope Center - Lakeside' },
      ...NEIGHBOURS.map((name, i) => ({ id: 10 + i, name })),
    ]);
    expect(two.match({ id: 'a', name: 'Hope Center - Uptown' }).kind).toBe('none');
    expect(two.ranked({ id: 'a', name: 'Hope Center - Uptown' }, 1)[0].reason).toMatch(/^another entity: another site \('Uptown' vs 'Lakeside'\)/);
  });

  it('lets a legal form name the parent among subsidiaries ("Meridian Health Corporation")', () => {
    expect(suggested(m.match({ id: 'a', name: 'Meridian Health Corporation' }))).toBe(id('Meridian Health Corp'));
  });
});

describe('pattern 4: confidence shown as a tier, with the reason', () => {
  const { m } = matcherOf(['Acme Corporation', 'Greenfield Plumbing & Heating Ltd', 'Lakeview Pediatrics PC']);

  it('exact after normalizing: case, punctuation, legal form spelling, abbreviations', () => {
    const s = m.suggest({ id: 'a', name: 'ACME Corp.' })!;
    expect(s).toMatchObject({ tier: 'exact', reason: "same name with legal form 'Corp.' read as 'Corporation'" });
    expect(m.suggest({ id: 'b', name: 'Greenfield Plumbing and Heating Limited' })!.tier).toBe('exact');
  });

  it('a typo is at best strong, and a looser match possible, each below the exact ones', () => {
    const typo = m.suggest({ id: 'a', name: 'Greenfeld Plumbing & Heating Ltd' })!;
    expect(typo.tier).not.toBe('exact');
    expect(typo.reason).toMatch(/^similar names \(words \d+%, characters \d+%\)/);
    const exact = m.suggest({ id: 'b', name: 'Greenfield Plumbing & Heating Ltd' })!;
    expect(typo.score).toBeLessThan(exact.score);
    expect(typo.tier === 'strong' ? typo.score >= 0.9 : typo.score < 0.9).toBe(true);
  });

  it('an acronym or a legal form of another kind is never "exact"', () => {
    const other = m.suggest({ id: 'a', name: 'Lakeview Pediatrics LLC' });
    if (other) expect(other.tier).not.toBe('exact');
  });
});
