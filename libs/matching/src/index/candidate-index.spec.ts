import { normalizeName } from '../text/normalize';
import { CandidateIndex, type PreparedCompany, prepareIdentifier } from './candidate-index';
import { TokenWeights } from './token-weights';

function prepare(names: string[]): PreparedCompany[] {
  return names.map((name, i) => ({ record: { id: i, name }, name: normalizeName(name), ...prepareIdentifier(name.replace(/[^A-Za-z0-9]/g, '')), site: null }));
}

/** 3,000 look-alike names: "<Place> <Trade> Services" — every one shares the word "services". */
const PLACES = ['North', 'South', 'East', 'West', 'Upper', 'Lower', 'Inner', 'Outer', 'Central', 'Coastal'];
const TRADES = Array.from({ length: 300 }, (_, i) => `Trade${i.toString(36)}x`);
const NAMES = PLACES.flatMap((p) => TRADES.map((t) => `${p} ${t} Services`));

describe('CandidateIndex', () => {
  const companies = prepare([...NAMES, 'Zenith Orthodontics LLC', 'Boys and Girls Clubs', 'The Coca-Cola Company']);
  const weights = new TokenWeights(companies.map((c) => c.name.tokens));
  const index = new CandidateIndex(companies, weights);
  const find = (name: string, limit = 10) => index.candidates(normalizeName(name), limit).map((i) => companies[i].record.name);

  it('returns at most `limit` candidates, the right one first', () => {
    const got = find('Zenith Orthodontic', 5);
    expect(got.length).toBeLessThanOrEqual(5);
    expect(got[0]).toBe('Zenith Orthodontics LLC');
  });

  it('finds a company through a typo via character trigrams', () => {
    expect(find('Zenth Orthodontics')).toContain('Zenith Orthodontics LLC');
  });

  it('finds a company through its initials and its squashed name', () => {
    expect(find('B & G Club')).toContain('Boys and Girls Clubs');
    expect(find('CocaCola')).toContain('The Coca-Cola Company');
  });

  it('ranks the rare word above a word every company has', () => {
    const got = find(`${PLACES[3]} ${TRADES[7]} Services`, 3);
    expect(got[0]).toBe(`${PLACES[3]} ${TRADES[7]} Services`);
  });

  it('weighs common and frequent words less than rare ones', () => {
    expect(weights.weight('service')).toBeLessThan(weights.weight('zenith') / 5);
    expect(weights.weight('group')).toBeLessThan(weights.weight('orthodontic'));
  });
});
