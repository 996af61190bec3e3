import { randomBytes } from 'node:crypto';
import { CredentialsCipher, SecretUnreadableError } from './credentials-cipher';

describe('CredentialsCipher', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('round-trips a secret and never stores it in clear', () => {
    const cipher = new CredentialsCipher(new Map([['k1', k1]]), 'k1');
    const sealed = cipher.seal('my-private-key', 'partner-a');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.toString('utf8')).not.toContain('my-private-key');
    expect(cipher.open(sealed, 'partner-a')).toBe('my-private-key');
  });

  it('uses a fresh IV each time', () => {
    const cipher = new CredentialsCipher(new Map([['k1', k1]]), 'k1');
    const a = cipher.seal('same', 'p');
    const b = cipher.seal('same', 'p');
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('refuses a ciphertext moved to another partner', () => {
    const cipher = new CredentialsCipher(new Map([['k1', k1]]), 'k1');
    const sealed = cipher.seal('secret', 'partner-a');
    expect(() => cipher.open(sealed, 'partner-b')).toThrow(SecretUnreadableError);
  });

  it('refuses a tampered ciphertext', () => {
    const cipher = new CredentialsCipher(new Map([['k1', k1]]), 'k1');
    const sealed = cipher.seal('secret', 'p');
    sealed.ciphertext[0] ^= 0xff;
    expect(() => cipher.open(sealed, 'p')).toThrow(SecretUnreadableError);
  });

  it('decrypts old ciphertexts after rotation to a new active key', () => {
    const before = new CredentialsCipher(new Map([['k1', k1]]), 'k1');
    const sealed = before.seal('old-secret', 'p');
    const after = new CredentialsCipher(new Map([['k1', k1], ['k2', k2]]), 'k2');
    expect(after.open(sealed, 'p')).toBe('old-secret');
    expect(after.seal('new', 'p').keyId).toBe('k2');
  });

  it('names a missing key id without revealing key material', () => {
    const cipher = new CredentialsCipher(new Map([['k1', k1]]), 'k1');
    const sealed = { ...cipher.seal('s', 'p'), keyId: 'gone' };
    expect(() => cipher.open(sealed, 'p')).toThrow(/key id "gone"/);
  });
});
