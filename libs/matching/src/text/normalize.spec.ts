import { splitLegalForms, compareLegalForms } from './legal-forms';
import { normalizeName, stem } from './normalize';
import { squash, tokenize } from './tokenize';

describe('tokenize', () => {
  it('folds case, accents and punctuation, and reads "&" as "and"', () => {
    expect(tokenize('Nestlé & Söhne, S.A.')).toEqual(['nestle', 'and', 'sohne', 'sa']);
  });

  it('drops apostrophes inside words and joins dotted or spaced initials', () => {
    expect(tokenize("Lands’ End")).toEqual(['lands', 'end']);
    expect(tokenize('I.B.M. Corp')).toEqual(['ibm', 'corp']);
    expect(tokenize('FOSTER L B CO')).toEqual(['foster', 'lb', 'co']);
  });

  it('removes filing annotations but keeps "A/S"', () => {
    expect(tokenize('PVH CORP. /DE/')).toEqual(['pvh', 'corp']);
    expect(tokenize('KVH INDUSTRIES INC \\DE\\')).toEqual(['kvh', 'industries', 'inc']);
    expect(tokenize('Troops, Inc. /Cayman Islands/')).toEqual(['troops', 'inc']);
    expect(tokenize('Acuity Inc. (DE)')).toEqual(['acuity', 'inc']);
    expect(tokenize('Evaxion A/S')).toEqual(['evaxion', 'as']);
  });

  it('keeps letters of other scripts', () => {
    expect(tokenize('华为技术 有限公司')).toEqual(['华为技术', '有限公司']);
  });

  it('squashes to letters and digits as identifiers are made', () => {
    expect(squash('JPMorgan Chase & Co.')).toBe('jpmorganchaseco');
  });
});

describe('legal forms', () => {
  it('peels legal forms off the end only, several if stacked', () => {
    expect(splitLegalForms(tokenize('Samsung Electronics Co., Ltd.')).core).toEqual(['samsung', 'electronics']);
    expect(splitLegalForms(tokenize('Vodafone Group Public Ltd Co')).core).toEqual(['vodafone', 'group']);
    expect(splitLegalForms(tokenize('Inc Rutherford')).core).toEqual(['inc', 'rutherford']);
  });

  it('never empties a name and never takes a lone letter for a legal form', () => {
    expect(splitLegalForms(['company']).core).toEqual(['company']);
    expect(splitLegalForms(tokenize('P & G')).core).toEqual(['p', 'and', 'g']);
  });

  it('compares legal forms: identical spelling, same kind, different kind, missing', () => {
    const forms = (name: string) => splitLegalForms(tokenize(name)).forms;
    expect(compareLegalForms(forms('A Corp.'), forms('A Corporation'))).toBe('identical');
    expect(compareLegalForms(forms('A Inc'), forms('A Corp'))).toBe('same');
    expect(compareLegalForms(forms('A LLC'), forms('A Inc'))).toBe('different');
    expect(compareLegalForms(forms('A'), forms('A Inc'))).toBe('missing');
  });
});

describe('normalizeName', () => {
  it('drops a leading "the" and the legal form, expands abbreviations and stems plurals', () => {
    const n = normalizeName('The Intl Widget Mfg Co.');
    expect(n.tokens).toEqual(['international', 'widget', 'manufacturing']);
    expect(n.legalForms.map((f) => f.tokens.join(' '))).toEqual(['co']);
    expect(normalizeName('Boys & Girls Clubs').tokens).toEqual(['boy', 'and', 'girl', 'club']);
  });

  it('reads St., Mt. and Ft. as Saint, Mount and Fort only at the start', () => {
    expect(normalizeName("St. Mary's Hospital").tokens).toEqual(['saint', 'mary', 'hospital']);
    expect(normalizeName('Mt Sinai Medical Ctr').tokens).toEqual(['mount', 'sinai', 'medical', 'center']);
    expect(normalizeName('Main St Deli').tokens).toEqual(['main', 'st', 'deli']);
  });

  it('keeps unexpanded and stopword-free squashed forms for exact keys', () => {
    const n = normalizeName('Wal-Mart Stores, Inc.');
    expect(n.coreSquashed).toBe('walmartstores');
    expect(n.fullSquashed).toBe('walmartstoresinc');
    expect(normalizeName('Procter & Gamble').tokenSquashed).toBe('proctergamble');
  });

  it('stems only plural-looking words', () => {
    expect(['services', 'companies', 'business', 'us', 'gas', 'clubs'].map(stem)).toEqual(['service', 'company', 'business', 'us', 'gas', 'club']);
  });
});
