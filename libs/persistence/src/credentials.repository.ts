import { eq, sql } from 'drizzle-orm';
import type { CredentialsCipher } from './credentials-cipher';
import type { Database } from './database';
import { connectwiseCredentials, integrations } from './schema';

/** A partner's ConnectWise credentials as shown: everything but the private key. */
export interface StoredCredentials {
  site: string;
  companyId: string;
  publicKey: string;
  connectwiseVersion: string | null;
  validatedAt: Date;
}

/** What a ConnectWise client needs, the private key decrypted. */
export interface OpenedCredentials {
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
}

/**
 * A partner's stored ConnectWise credentials, shared by the control plane and the workers. The private key
 * is sealed here on the way in and opened here alone (AES-256-GCM, partner id as additional data), only to
 * build a ConnectWise client.
 */
export class CredentialsRepository {
  constructor(
    private readonly db: Database,
    private readonly cipher: CredentialsCipher,
  ) {}

  async find(partnerId: string): Promise<StoredCredentials | undefined> {
    const [row] = await this.db
      .select({
        site: connectwiseCredentials.site,
        companyId: connectwiseCredentials.companyId,
        publicKey: connectwiseCredentials.publicKey,
        connectwiseVersion: connectwiseCredentials.connectwiseVersion,
        validatedAt: connectwiseCredentials.validatedAt,
      })
      .from(connectwiseCredentials)
      .where(eq(connectwiseCredentials.partnerId, partnerId));
    return row;
  }

  /** The credentials with the private key decrypted; undefined when none are stored. */
  async open(partnerId: string): Promise<OpenedCredentials | undefined> {
    const [row] = await this.db.select().from(connectwiseCredentials).where(eq(connectwiseCredentials.partnerId, partnerId));
    if (!row) return undefined;
    const privateKey = this.cipher.open(
      { ciphertext: row.privateKeyCiphertext, iv: row.privateKeyIv, tag: row.privateKeyTag, keyId: row.encryptionKeyId },
      partnerId,
    );
    return { site: row.site, companyId: row.companyId, publicKey: row.publicKey, privateKey };
  }

  /** Stores credentials that were just checked live, and makes the partner's integration active again, in one transaction. */
  async saveValidated(partnerId: string, credentials: OpenedCredentials, checked: { version: string | null; at: Date }): Promise<void> {
    const sealed = this.cipher.seal(credentials.privateKey, partnerId);
    const values = {
      partnerId,
      site: credentials.site,
      companyId: credentials.companyId,
      publicKey: credentials.publicKey,
      privateKeyCiphertext: sealed.ciphertext,
      privateKeyIv: sealed.iv,
      privateKeyTag: sealed.tag,
      encryptionKeyId: sealed.keyId,
      connectwiseVersion: checked.version,
      validatedAt: checked.at,
    };
    await this.db.transaction(async (tx) => {
      await tx.insert(connectwiseCredentials).values(values).onConflictDoUpdate({ target: connectwiseCredentials.partnerId, set: values });
      await tx
        .update(integrations)
        .set({ state: 'active', attentionReason: null, version: sql`${integrations.version} + 1`, updatedAt: checked.at })
        .where(eq(integrations.partnerId, partnerId));
    });
  }
}
