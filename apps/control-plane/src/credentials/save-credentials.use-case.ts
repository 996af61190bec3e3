import { Injectable } from '@nestjs/common';
import type { CredentialCheck } from '@cwx/connectwise';
import { CredentialsRepository } from '@cwx/persistence';
import { ConnectWiseClients, type CredentialsInput } from '../connectwise/connectwise-clients';
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
    private readonly credentials: CredentialsRepository,
    private readonly clients: ConnectWiseClients,
  ) {}

  async execute(command: { partnerId: string; credentials: CredentialsInput }): Promise<CredentialsResponseDto> {
    const input = { ...command.credentials, site: command.credentials.site.trim(), companyId: command.credentials.companyId.trim() };
    const check = await this.clients.validate(command.partnerId, input);
    if (check.outcome !== 'ok') throw rejection(check);

    const validatedAt = new Date();
    await this.credentials.saveValidated(command.partnerId, input, { version: check.version ?? null, at: validatedAt });
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
