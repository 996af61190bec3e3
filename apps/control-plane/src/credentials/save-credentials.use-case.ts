import { Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import type { CredentialCheck } from '@cwx/connectwise';
import { connectwiseCredentials, CredentialsCipher, integrations, type Database } from '@cwx/persistence';
import { ConnectWiseClients, type CredentialsInput } from '../connectwise/connectwise-clients';
import { InjectDatabase } from '../database/database.module';
import { AppError, AppErrorCode } from '../http/app-error';
import type { CredentialsResponseDto } from './credentials.dto';

export const MASKED_PRIVATE_KEY = '••••••••';

/** The problems a partner can fix, by name, as the wizard shows them. */
const PROBLEMS: Record<Exclude<CredentialCheck['outcome'], 'ok'>, string> = {
  'site-not-allowed': 'site_not_allowed',
  'site-unreachable': 'site_unreachable',
  'unknown-company': 'unknown_company',
  'invalid-keys': 'wrong_keys',
  'missing-permissions': 'missing_permissions',
  error: 'connectwise_error',
};

/**
 * Step 1: credentials are checked live before anything is stored. The private key is sealed with
 * AES-256-GCM (partner id as additional data); the integration becomes active again if it was
 * disabled or needed attention.
 */
@Injectable()
export class SaveCredentials {
  constructor(
    @InjectDatabase() private readonly db: Database,
    private readonly clients: ConnectWiseClients,
    private readonly cipher: CredentialsCipher,
  ) {}

  async execute(command: { partnerId: string; credentials: CredentialsInput }): Promise<CredentialsResponseDto> {
    const input = { ...command.credentials, site: command.credentials.site.trim(), companyId: command.credentials.companyId.trim() };
    const check = await this.clients.validate(input);
    if (check.outcome !== 'ok') throw rejection(check);

    const sealed = this.cipher.seal(input.privateKey, command.partnerId);
    const validatedAt = new Date();
    const values = {
      partnerId: command.partnerId,
      site: input.site,
      companyId: input.companyId,
      publicKey: input.publicKey,
      privateKeyCiphertext: sealed.ciphertext,
      privateKeyIv: sealed.iv,
      privateKeyTag: sealed.tag,
      encryptionKeyId: sealed.keyId,
      connectwiseVersion: check.version ?? null,
      validatedAt,
    };
    await this.db.transaction(async (tx) => {
      await tx.insert(connectwiseCredentials).values(values).onConflictDoUpdate({ target: connectwiseCredentials.partnerId, set: values });
      await tx
        .update(integrations)
        .set({ state: 'active', attentionReason: null, version: sql`${integrations.version} + 1`, updatedAt: validatedAt })
        .where(eq(integrations.partnerId, command.partnerId));
    });
    return {
      site: input.site,
      companyId: input.companyId,
      publicKey: input.publicKey,
      privateKey: MASKED_PRIVATE_KEY,
      connectwiseVersion: check.version ?? null,
      validatedAt: validatedAt.toISOString(),
    };
  }
}

function rejection(check: Exclude<CredentialCheck, { outcome: 'ok' }>): AppError {
  const details: Record<string, unknown> = { problem: PROBLEMS[check.outcome] };
  if (check.outcome === 'site-not-allowed' && check.hint) details.hint = check.hint;
  if (check.outcome === 'site-unreachable') details.reason = check.reason;
  if (check.outcome === 'missing-permissions') details.missingPermissions = check.missing;
  const code = check.outcome === 'site-unreachable' ? AppErrorCode.ConnectWiseUnavailable : AppErrorCode.CredentialsRejected;
  return new AppError(code, check.message, details);
}
