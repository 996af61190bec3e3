import { ConnectWiseError } from './errors';
import { SitePolicy, parseExtraOrigin } from './site-policy';

function rejection(policy: SitePolicy, site: string): ConnectWiseError {
  const result = policy.tryResolve(site);
  if (!(result instanceof ConnectWiseError)) throw new Error(`expected ${site} to be refused`);
  return result;
}

describe('SitePolicy', () => {
  const policy = new SitePolicy(['http://127.0.0.1:4010', 'https://psa.example.com']);

  it.each([
    ['api-na.myconnectwise.net', 'https://api-na.myconnectwise.net'],
    ['API-EU.myconnectwise.net', 'https://api-eu.myconnectwise.net'],
    ['https://api-au.myconnectwise.net/', 'https://api-au.myconnectwise.net'],
    ['https://api-aus.myconnectwise.net/v4_6_release/apis/3.0', 'https://api-aus.myconnectwise.net'],
    ['  api-za.myconnectwise.net  ', 'https://api-za.myconnectwise.net'],
    ['https://api-staging.connectwisedev.com:443', 'https://api-staging.connectwisedev.com'],
    ['api-na.myconnectwise.net.', 'https://api-na.myconnectwise.net'],
  ])('accepts the ConnectWise API host %s', (site, origin) => {
    expect(policy.resolve(site).origin).toBe(origin);
  });

  it('accepts a configured loopback origin given as host:port or URL', () => {
    expect(policy.resolve('127.0.0.1:4010')).toEqual({ origin: 'http://127.0.0.1:4010', host: '127.0.0.1:4010' });
    expect(policy.resolve('http://127.0.0.1:4010/').origin).toBe('http://127.0.0.1:4010');
    expect(policy.resolve('psa.example.com').origin).toBe('https://psa.example.com');
  });

  it('refuses a configured host on another port or scheme', () => {
    expect(rejection(policy, '127.0.0.1:4011').kind).toBe('site-not-allowed');
    expect(rejection(policy, 'https://127.0.0.1:4010').kind).toBe('site-not-allowed');
    expect(rejection(policy, 'http://psa.example.com').kind).toBe('site-not-allowed');
  });

  it.each([
    ['na.myconnectwise.net', 'use api-na.myconnectwise.net'],
    ['https://eu.myconnectwise.net/v4_6_release/', 'use api-eu.myconnectwise.net'],
    ['aus.myconnectwise.net', 'use api-aus.myconnectwise.net'],
    ['za.myconnectwise.net', 'use api-za.myconnectwise.net'],
    ['staging.connectwisedev.com', 'use api-staging.connectwisedev.com'],
  ])('refuses the login host %s with a hint', (site, hint) => {
    const error = rejection(policy, site);
    expect(error.kind).toBe('site-not-allowed');
    expect(error.hint).toBe(hint);
    expect(error.message).toContain(hint);
  });

  it('refuses plain http and other ports for real hosts', () => {
    expect(rejection(policy, 'http://api-na.myconnectwise.net').message).toMatch(/https/);
    expect(rejection(policy, 'https://api-na.myconnectwise.net:8443').message).toMatch(/443/);
  });

  it('refuses look-alikes, credentials, queries and junk', () => {
    for (const site of [
      'api-na.myconnectwise.net.evil.com',
      'evil.com/api-na.myconnectwise.net',
      'myconnectwise.net',
      'https://user:pw@api-na.myconnectwise.net',
      'https://api-na.myconnectwise.net/?x=1',
      'ftp://api-na.myconnectwise.net',
      '',
      'http://[::1',
    ]) {
      expect(rejection(policy, site).kind).toBe('site-not-allowed');
    }
  });

  it('does not allow loopback unless configured', () => {
    expect(rejection(new SitePolicy(), '127.0.0.1:4010').kind).toBe('site-not-allowed');
  });
});

describe('parseExtraOrigin', () => {
  it('normalizes origins and allows http only on loopback', () => {
    expect(parseExtraOrigin('http://LOCALHOST:4010')).toBe('http://localhost:4010');
    expect(parseExtraOrigin('https://psa.example.com:443')).toBe('https://psa.example.com');
    expect(parseExtraOrigin('http://[::1]:4010')).toBe('http://[::1]:4010');
    expect(() => parseExtraOrigin('http://psa.example.com')).toThrow(/loopback/);
    expect(() => parseExtraOrigin('https://psa.example.com/path')).toThrow(/scheme:\/\/host/);
    expect(() => parseExtraOrigin('not a url')).toThrow(/not a URL/);
  });

  it('allows plain http on a named host only when that host is listed (a simulator on a container network)', () => {
    expect(() => parseExtraOrigin('http://connectwise-sim:4010')).toThrow(/loopback address or a host named in CW_PLAIN_HTTP_HOSTS/);
    expect(parseExtraOrigin('http://connectwise-sim:4010', ['connectwise-sim'])).toBe('http://connectwise-sim:4010');
    expect(() => parseExtraOrigin('http://other-host:4010', ['connectwise-sim'])).toThrow(/loopback/);
    const policy = new SitePolicy(['http://connectwise-sim:4010'], { plainHttpHosts: ['connectwise-sim'] });
    expect(policy.resolve('connectwise-sim:4010')).toEqual({ origin: 'http://connectwise-sim:4010', host: 'connectwise-sim:4010' });
  });

});
