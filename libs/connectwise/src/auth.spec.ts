import { basicAuthorization } from './auth';

describe('basicAuthorization', () => {
  it('encodes companyId+publicKey:privateKey in base64', () => {
    const header = basicAuthorization('demo', 'demo-public', 'demo-private');
    expect(header).toBe(`Basic ${Buffer.from('demo+demo-public:demo-private').toString('base64')}`);
    expect(Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8')).toBe('demo+demo-public:demo-private');
  });

  it('keeps non-ASCII characters as UTF-8', () => {
    const header = basicAuthorization('fjörð', 'pub', 'priv');
    expect(Buffer.from(header.slice(6), 'base64').toString('utf8')).toBe('fjörð+pub:priv');
  });
});
