import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  keyId: string;
}

/** Raised when a secret cannot be opened: unknown key id, wrong partner, or tampered ciphertext. */
export class SecretUnreadableError extends Error {
  constructor(reason: string) {
    super(`stored secret cannot be decrypted: ${reason}`);
    this.name = 'SecretUnreadableError';
  }
}

/**
 * AES-256-GCM for secrets at rest (ConnectWise private keys). The partner id is bound as additional
 * authenticated data, so a ciphertext copied to another partner's row does not decrypt. The key id
 * is stored beside the ciphertext: keys rotate by adding a new active key and keeping old ones for
 * decryption.
 */
export class CredentialsCipher {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly activeKeyId: string,
  ) {
    const active = keys.get(activeKeyId);
    if (!active || active.length !== 32) throw new Error('the active encryption key must be 32 bytes');
  }

  seal(plaintext: string, partnerId: string): SealedSecret {
    const key = this.keys.get(this.activeKeyId) as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(partnerId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, tag: cipher.getAuthTag(), keyId: this.activeKeyId };
  }

  open(sealed: SealedSecret, partnerId: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new SecretUnreadableError(`key id "${sealed.keyId}" is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
      decipher.setAAD(Buffer.from(partnerId, 'utf8'));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadableError('authentication failed');
    }
  }
}
