import { expandAcronyms, findAcronymRun, initialismKeys } from './acronym';
import { bestMatches, cosine, jaroWinkler, tokenSimilarity, trigrams } from './similarity';

describe('jaroWinkler', () => {
  it('gives the textbook values', () => {
    // Winkler's examples: MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84, DIXON/DICKSONX 0.813.
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('same', 'same')).toBe(1);
  });
});

describe('tokenSimilarity', () => {
  it('credits initials and truncations, and ignores weak resemblance', () => {
    expect(tokenSimilarity('b', 'boys')).toBe(0.8);
    expect(tokenSimilarity('berk', 'berkshire')).toBeGreaterThanOrEqual(0.88);
    expect(tokenSimilarity('acme', 'apex')).toBe(0);
    expect(tokenSimilarity('2', '3')).toBe(0);
  });

  it('Monge-Elkan inner step takes the best counterpart of each word', () => {
    expect(bestMatches(['acme', 'widgets'], ['widgetz', 'acme'])).toEqual([1, expect.any(Number)]);
    expect(bestMatches(['acme', 'widgets'], ['widgetz', 'acme'])[1]).toBeGreaterThan(0.9);
  });
});

describe('trigram cosine', () => {
  it('is 1 for the same string and falls with edits', () => {
    expect(cosine(trigrams('walmart'), trigrams('walmart'))).toBeCloseTo(1, 10);
    const typo = cosine(trigrams('walmart'), trigrams('wallmart'));
    expect(typo).toBeGreaterThan(0.6);
    expect(typo).toBeLessThan(1);
    expect(cosine(trigrams('walmart'), trigrams('zenith'))).toBe(0);
  });
});

describe('acronyms', () => {
  it('spells runs of significant words, with "and" as a, n or nothing', () => {
    expect(findAcronymRun('ibm', ['international', 'business', 'machine'])).toEqual([0, 3]);
    expect(findAcronymRun('pg', ['procter', 'and', 'gamble'])).toEqual([0, 3]);
    expect(findAcronymRun('jnj', ['johnson', 'and', 'johnson'])).toEqual([0, 3]);
    expect(findAcronymRun('ab', ['acme'])).toBeNull();
    expect(findAcronymRun('a', ['acme', 'bolt'])).toBeNull();
  });

  it('expands letter runs such as "b and g" and marks a name that is only an acronym', () => {
    const e = expandAcronyms(['b', 'and', 'g', 'club'], ['boy', 'and', 'girl', 'club']);
    expect(e.tokens).toEqual(['boy', 'and', 'girl', 'club']);
    expect(e.onlyAcronyms).toBe(false);
    expect(expandAcronyms(['ibm'], ['international', 'business', 'machine']).onlyAcronyms).toBe(true);
  });

  it('does not read an acronym into words the name already has', () => {
    expect(expandAcronyms(['fb', 'bancorp'], ['first', 'bancorp']).expanded).toEqual([]);
  });

  it('indexes initialisms of multi-word names only', () => {
    expect(initialismKeys(['johnson', 'and', 'johnson']).sort()).toEqual(['jaj', 'jj', 'jnj']);
    expect(initialismKeys(['acme'])).toEqual([]);
  });
});
