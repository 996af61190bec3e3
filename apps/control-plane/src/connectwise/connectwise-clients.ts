import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import type { ControlPlaneConfig } from '@cwx/config';
import { ConnectWiseClient, isConnectWiseError, validateCredentials, type CredentialCheck } from '@cwx/connectwise';
import { connectwiseCredentials, CredentialsCipher, type Database } from '@cwx/persistence';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { InjectDatabase } from '../database/database.module';
import { AppError, AppErrorCode } from '../http/app-error';

export interface CredentialsInput {
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
}

/**
 * Builds ConnectWise clients for partners from their stored, encrypted credentials, and checks new
 * credentials live. The decrypted key lives only inside the client object.
 */
@Injectable()
export class ConnectWiseClients {
  constructor(
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
    @InjectDatabase() private readonly db: Database,
    private readonly cipher: CredentialsCipher,
  ) {}

  validate(input: CredentialsInput): Promise<CredentialCheck> {
    return validateCredentials(input, this.config.connectwise);
  }

  async forPartner(partnerId: string): Promise<ConnectWiseClient> {
    const [row] = await this.db.select().from(connectwiseCredentials).where(eq(connectwiseCredentials.partnerId, partnerId));
    if (!row) {
      throw new AppError(AppErrorCode.CredentialsRequired, 'Enter ConnectWise credentials first (step 1).');
    }
    const privateKey = this.cipher.open(
      { ciphertext: row.privateKeyCiphertext, iv: row.privateKeyIv, tag: row.privateKeyTag, keyId: row.encryptionKeyId },
      partnerId,
    );
    return new ConnectWiseClient(
      { site: row.site, companyId: row.companyId, publicKey: row.publicKey, privateKey },
      { ...this.config.connectwise, maxRetries: Math.min(this.config.connectwise.maxRetries, 2), retryMaxDelayMs: Math.min(this.config.connectwise.retryMaxDelayMs, 5000) },
    );
  }
}

/** Runs a ConnectWise call for an interactive request, turning its failures into clear API errors. */
export async function callConnectWise<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isConnectWiseError(error)) throw error;
    switch (error.kind) {
      case 'unauthorized':
        throw new AppError(AppErrorCode.CredentialsRejected, `ConnectWise rejected the stored credentials while ${what}; enter them again.`);
      case 'forbidden':
        throw new AppError(AppErrorCode.ConnectWiseRefused, `The API member's security role does not allow ${what}.`);
      case 'not-found':
      case 'invalid':
      case 'object-exists':
        throw new AppError(AppErrorCode.ConnectWiseRefused, `ConnectWise refused ${what}: ${error.message}`, {
          connectwise: { code: error.code, errors: error.errors },
        });
      default:
        throw new AppError(AppErrorCode.ConnectWiseUnavailable, `ConnectWise could not be reached while ${what}: ${error.message}`);
    }
  }
}
