import { CompanyMatcher, PartnerKnowledge } from '@cwx/matching';

/**
 * A partner whose cloud platform names every tenant "<customer> CSP", while its ConnectWise companies carry the
 * plain name (and often "Group"). Invented names, written for this test.
 */
const COMPANIES = [
  'Harbor Dental Group',
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
  'Lakeview Pediatrics Group',
  'Bluefin Marine Supply',
  'Copperline Electric LLC',
  'Juniper Physical Therapy Group',
  'Maple Street Bakery',
  'Ironwood Accounting Group',
  'Sunrise Senior Living',
  'Tidewater Insurance Agency',
  'Granite Peak Construction',
].map((name, i) => ({ id: i + 1, name }));

const id = (name: string) => COMPANIES.find((c) => c.name === name)!.id;

/** Pairs the partner accepted earlier. */
const ACCEPTED = [
  { accountName: 'Harbor Dental CSP', companyName: 'Harbor Dental Group' },
  { accountName: 'Lakeview Pediatrics CSP', companyName: 'Lakeview Pediatrics Group' },
  { accountName: 'Pinecrest Orthodontics CSP', companyName: 'Pinecrest Orthodontics' },
];

/** The next accounts: their expected company ('' = none in ConnectWise). */
const NEXT: [string, string][] = [
  ['North Shore Dental CSP', 'North Shore Dental Group'],
  ['Juniper Physical Therapy CSP', 'Juniper Physical Therapy Group'],
  ['Ironwood Accounting CSP', 'Ironwood Accounting Group'],
  ['Copperline Electric CSP', 'Copperline Electric LLC'],
  ['Maple Street Bakery CSP', 'Maple Street Bakery'],
  ['Tidewater Insurance Agency CSP', 'Tidewater Insurance Agency'],
  ['Granite Peak Construction CSP', 'Granite Peak Construction'],
  ['Summit Roofing CSP', 'Summit Roofing Inc.'],
  ['Bluefin Marine CSP', ''], // "Bluefin Marine Supply" is another business
  ['Harborview Dental CSP', ''], // not "Harbor Dental"
  ['Sunrise Assisted Living CSP', ''],
  ['Valley Federal Credit Union CSP', ''],
];

const ACCOUNT_NAMES = [...ACCEPTED.map((p) => p.accountName), ...NEXT.map(([n]) => n)];

function measure(knowledge: PartnerKnowledge): { coverage: number; precision: number; suggested: number } {
  const matcher = new CompanyMatcher(COMPANIES, { knowledge });
  let suggested = 0;
  let correct = 0;
  const matchable = NEXT.filter(([, c]) => c).length;
  NEXT.forEach(([name, company], i) => {
    const s = matcher.suggest({ id: i, name });
    if (!s) return;
    suggested++;
    if (company && s.companyId === id(company)) correct++;
  });
  return { coverage: correct / matchable, precision: suggested ? correct / suggested : 1, suggested };
}

describe('PartnerKnowledge: learning from the partner', () => {
  it('learns the words its naming adds and drops once two accepted pairs agree, never numbers', () => {
    const k = new PartnerKnowledge([...ACCEPTED, { accountName: 'Fund 7 CSP', companyName: 'Fund 8' }, { accountName: 'Fund 9', companyName: 'Fund 10' }], []);
    expect([...k.accountNoise]).toEqual(['csp']);
    expect([...k.companyNoise]).toEqual(['group']);
  });

  it('an accepted pattern raises coverage on the next accounts without lowering precision', () => {
    // Before: the same partner, its account names known (so frequent words already weigh less), no accepted pair yet.
    const before = measure(new PartnerKnowledge([], ACCOUNT_NAMES));
    const after = measure(new PartnerKnowledge(ACCEPTED, ACCOUNT_NAMES));
    expect(after.coverage).toBeGreaterThan(before.coverage);
    expect(after.coverage).toBe(1);
    expect(after.precision).toBeGreaterThanOrEqual(before.precision);
    expect(after.precision).toBe(1);
  });

  it('names what was learned in the reason', () => {
    const matcher = new CompanyMatcher(COMPANIES, { knowledge: new PartnerKnowledge(ACCEPTED, ACCOUNT_NAMES) });
    const s = matcher.suggest({ id: 'a', name: 'North Shore Dental CSP' })!;
    expect(s).toMatchObject({ companyId: id('North Shore Dental Group'), tier: 'exact' });
    expect(s.learned).toEqual(["account names add 'csp' (3 accepted pairs)", "account names drop 'group' (2 accepted pairs)"]);
    expect(s.reason).toBe("same name; learned: account names add 'csp' (3 accepted pairs); account names drop 'group' (2 accepted pairs)");
  });

  it("weighs words frequent across the partner's account names less, and says so", () => {
    const names = ['Acme Cloud', 'Bolt Cloud', 'Crest Cloud', 'Delta Cloud', 'Ember Cloud', 'Fjord Cloud'];
    const companies = [{ id: 1, name: 'Acme Logistics' }, ...COMPANIES.slice(1)];
    const plain = new CompanyMatcher(companies).rank('Acme Cloud')[0];
    const damped = new CompanyMatcher(companies, { knowledge: new PartnerKnowledge([], names) }).rank('Acme Cloud')[0];
    expect(damped.company.record.id).toBe(1);
    expect(damped.score).toBeGreaterThan(plain.score);
    const s = new CompanyMatcher([{ id: 1, name: 'Acme Cloud Logistics' }, ...COMPANIES.slice(1)], { knowledge: new PartnerKnowledge([], names) }).suggest({
      id: 'a',
      name: 'Acme Cloud Logistics',
    });
    expect(s?.learned).toEqual(["'cloud' weighs less (in 100% of the partner's account names)"]);
  });

  it('never suggests a rejected pair again, and the rejected company no longer blocks another', () => {
    const companies = [
      { id: 1, name: 'Summit Landscaping LLC' },
      { id: 2, name: 'Summit Landscaping, Inc.' },
    ];
    const matcher = new CompanyMatcher(companies);
    expect(matcher.match({ id: 'a', name: 'Summit Landscaping' }).kind).toBe('ambiguous');
    const rejectedOne = matcher.match({ id: 'a', name: 'Summit Landscaping' }, { rejected: new Set([1]) });
    expect(rejectedOne).toMatchObject({ kind: 'suggestion', suggestion: { companyId: 2 } });
    expect(matcher.match({ id: 'a', name: 'Summit Landscaping' }, { rejected: new Set([1, 2]) }).kind).toBe('none');
  });
});
