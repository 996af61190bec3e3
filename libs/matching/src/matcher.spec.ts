import { CompanyMatcher } from '@cwx/matching';

/** Hand-made company list: a few near neighbours so the runner-up rule has something to refuse. */
const COMPANIES = [
  { id: 1, identifier: 'AcmeCorporation', name: 'ACME Corporation' },
  { id: 2, identifier: 'BoysAndGirlsClubsOfMetro', name: 'Boys and Girls Clubs of Metro Atlanta' },
  { id: 3, identifier: 'HarborDentalGroupLlc', name: 'Harbor Dental Group, LLC' },
  { id: 4, identifier: 'BlueOwlCapitalCorp', name: 'Blue Owl Capital Corp' },
  { id: 5, identifier: 'BlueOwlCapitalInc', name: 'Blue Owl Capital Inc.' },
  { id: 6, identifier: 'InternationalBusinessMac', name: 'International Business Machines Corporation' },
  { id: 7, identifier: 'RiversideVeterinaryClini', name: 'Riverside Veterinary Clinic Inc.' },
  { id: 8, identifier: 'GreenfieldPlumbingAndHeat', name: 'Greenfield Plumbing & Heating Ltd' },
  { id: 9, identifier: 'NorthwindTraders', name: 'Northwind Traders' },
  { id: 10, identifier: 'SummitLandscapingLlc', name: 'Summit Landscaping LLC' },
  { id: 11, identifier: 'SummitLandscapingInc', name: 'Summit Landscaping, Inc.' },
  { id: 12, identifier: 'CarverDeltaFund2', name: 'Carver Delta Fund 2' },
  { id: 13, identifier: 'KimuraAssociatesLlp', name: 'Kimura & Associates LLP' },
];

describe('CompanyMatcher.suggest', () => {
  const matcher = new CompanyMatcher(COMPANIES);

  it('suggests the same company across case and legal-form spelling ("Acme Corp" / "ACME Corporation")', () => {
    const s = matcher.suggest({ id: 'a', name: 'Acme Corp' });
    expect(s).toMatchObject({ companyId: 1 });
    expect(s!.score).toBeGreaterThan(0.9);
    expect(s!.reason).toBe("same name with legal form 'Corp' read as 'Corporation'");
  });

  it('reads "B & G Club" as the initials of "Boys and Girls Clubs"', () => {
    const matcherBg = new CompanyMatcher([
      { id: 'bg', identifier: 'BoysAndGirlsClubs', name: 'Boys and Girls Clubs' },
      { id: 'x', identifier: 'BaysideGolfCourse', name: 'Bayside Golf Course' },
      ...COMPANIES.slice(2),
    ]);
    const s = matcherBg.suggest({ id: 'a', name: 'B & G Club' });
    expect(s).toMatchObject({ companyId: 'bg' });
    expect(s!.reason).toBe("'B & G' read as the acronym of 'boys and girls'");
  });

  it('refuses an acronym that two companies spell equally well', () => {
    const m = new CompanyMatcher([
      { id: 'bg', identifier: 'BoysAndGirlsClubs', name: 'Boys and Girls Clubs' },
      { id: 'x', identifier: 'BaysideGolfClub', name: 'Bayside Golf Club' },
    ]);
    expect(m.suggest({ id: 'a', name: 'B & G Club' })).toBeNull();
    expect(m.rank('B & G Club')).toHaveLength(2);
  });

  it('reads a bare initialism as the acronym of a spelled-out name', () => {
    expect(matcher.suggest({ id: 'a', name: 'IBM Corp.' })).toMatchObject({ companyId: 6 });
  });

  it('does not suggest anything for a name that matches no company', () => {
    expect(matcher.suggest({ id: 'a', name: 'Quantum Bakery Supplies' })).toBeNull();
    expect(matcher.rank('Quantum Bakery Supplies').every((c) => c.score < 0.5)).toBe(true);
  });

  it('refuses when the runner-up is as good (two companies share the name, legal forms aside)', () => {
    expect(matcher.suggest({ id: 'a', name: 'Summit Landscaping' })).toBeNull();
    const [first, second] = matcher.rank('Summit Landscaping');
    expect(first.score - second.score).toBeLessThan(0.15);
  });

  it('lets a matching legal form break the tie between two same-name companies', () => {
    expect(matcher.suggest({ id: 'a', name: 'Blue Owl Capital Corporation' })).toMatchObject({ companyId: 4 });
    expect(matcher.suggest({ id: 'b', name: 'BLUE OWL CAPITAL, INC' })).toMatchObject({ companyId: 5 });
  });

  it('lowers but does not zero the confidence when the legal forms differ', () => {
    const same = matcher.rank('Harbor Dental Group LLC')[0];
    const differing = matcher.rank('Harbor Dental Group Ltd')[0];
    expect(same.company.record.id).toBe(3);
    expect(differing.company.record.id).toBe(3);
    expect(differing.score).toBeLessThan(same.score);
    expect(differing.score).toBeGreaterThan(0.3);
    expect(differing.score).toBeGreaterThan(10 * (matcher.rank('Harbor Dental Group Ltd')[1]?.score ?? 0));
  });

  it('matches an account whose squashed name is exactly a company identifier', () => {
    const s = matcher.suggest({ id: 'a', name: 'NorthwindTraders' });
    expect(s).toMatchObject({ companyId: 9 });
    expect(s!.reason).toBe("identifier 'NorthwindTraders' matches squashed name");
  });

  it('recognises an identifier cut at 25 characters', () => {
    const m = new CompanyMatcher([
      { id: 1, identifier: 'RiversideVeterinaryClinic', name: 'Riverside Veterinary Clinics of Ohio, Inc.' },
      { id: 2, identifier: 'RiversideVeterinaryCare', name: 'Riverside Veterinary Care' },
    ]);
    const s = m.suggest({ id: 'a', name: 'RiversideVeterinaryClinicsOfOhio' });
    expect(s).toMatchObject({ companyId: 1 });
    expect(s!.reason).toMatch(/identifier 'RiversideVeterinaryClinic' is the squashed name, truncated/);
  });

  it('expands generic abbreviations and "&"', () => {
    expect(matcher.suggest({ id: 'a', name: 'Greenfield Plumbing and Heating Limited' })).toMatchObject({ companyId: 8 });
    expect(matcher.suggest({ id: 'b', name: 'Kimura Assoc LLP' })).toMatchObject({ companyId: 13 });
  });

  it('keeps numbered entities apart', () => {
    expect(matcher.suggest({ id: 'a', name: 'Carver Delta Fund 3' })).toBeNull();
    expect(matcher.suggest({ id: 'b', name: 'Carver Delta Fund 2' })).toMatchObject({ companyId: 12 });
  });

  it('reports the runner-up score and a reason', () => {
    const m = new CompanyMatcher([...COMPANIES, { id: 14, identifier: 'RiversideVeterinaryCare', name: 'Riverside Veterinary Care' }]);
    const s = m.suggest({ id: 'a', name: 'Riverside Veterinary Clinic' });
    expect(s).toMatchObject({ companyId: 7 });
    expect(s!.runnerUpScore).toBeLessThan(s!.score - 0.15);
    expect(s!.reason).toMatch(/after removing 'Inc\.'/);
  });
});

describe('CompanyMatcher.suggestAll', () => {
  const matcher = new CompanyMatcher(COMPANIES);

  it('returns confident suggestions only, in input order, with account ids', () => {
    const out = matcher.suggestAll([
      { id: 'x', name: 'Acme Corp' },
      { id: 'y', name: 'Nothing Like Any Company' },
      { id: 'z', name: 'Northwind Traders' },
    ]);
    expect(out.map((s) => [s.accountId, s.companyId])).toEqual([
      ['x', 1],
      ['z', 9],
    ]);
  });

  it('never suggests an excluded (already mapped) company, nor falls back to the second best', () => {
    const exclude = new Set<string | number>([1]);
    expect(matcher.suggestAll([{ id: 'x', name: 'Acme Corp' }], { exclude })).toEqual([]);
  });

  it('works with an empty company list', () => {
    expect(new CompanyMatcher([]).suggest({ id: 1, name: 'Acme' })).toBeNull();
  });
});

describe('CompanyMatcher.ranked', () => {
  it('lists the best candidates with reasons, unfiltered by confidence', () => {
    const m = new CompanyMatcher(COMPANIES);
    const r = m.ranked({ id: 'a', name: 'Summit Landscaping' }, 2);
    expect(r.map((c) => c.companyId).sort()).toEqual([10, 11]);
    expect(r[0].reason).toMatch(/after removing/);
  });
});
