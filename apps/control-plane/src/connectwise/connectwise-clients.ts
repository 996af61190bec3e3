import { Inject, Injectable } from '@nestjs/common';
import type { ControlPlaneConfig } from '@cwx/config';
import { ConnectWiseClient, ConnectWiseError, isConnectWiseError, validateCredentials, type ConnectWiseClientOptions, type CredentialCheck } from '@cwx/connectwise';
import { DestinationPolicy } from '@cwx/outbound';
import { CredentialsRepository } from '@cwx/persistence';
import { budgetHooks, INTERACTIVE_MAX_WAIT_MS, isBudgetWaitTooLong } from '@cwx/throttle';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { AppError, AppErrorCode } from '../http/app-error';
import { PartnerBudget } from './partner-budget';

export interface CredentialsInput {
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
}

/**
 * Builds ConnectWise clients for partners from their stored, encrypted credentials, and checks new
 * credentials live. The decrypted key lives only inside the client object. Every request of these clients
 * draws from the partner's budget (the one its exports use) as `interactive`: it goes ahead of the export's
 * waiting calls, never past the partner's rate, and is refused after INTERACTIVE_MAX_WAIT_MS (a person is
 * waiting) with a `throttled` error saying when to try again.
 */
@Injectable()
export class ConnectWiseClients {
  constructor(
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
    private readonly credentials: CredentialsRepository,
    private readonly destinations: DestinationPolicy,
    private readonly partnerBudget: PartnerBudget,
  ) {}

  /** Checks credentials a partner entered (its budget pays for the check's calls). */
  validate(partnerId: string, input: CredentialsInput): Promise<CredentialCheck> {
    return validateCredentials(input, this.interactiveOptions(partnerId));
  }

  async forPartner(partnerId: string): Promise<ConnectWiseClient> {
    const credentials = await this.credentials.open(partnerId);
    if (!credentials) {
      throw new AppError(AppErrorCode.CredentialsRequired, 'Enter ConnectWise credentials first (step 1).');
    }
    return new ConnectWiseClient(credentials, this.interactiveOptions(partnerId));
  }

  private interactiveOptions(partnerId: string): ConnectWiseClientOptions {
    const hooks = budgetHooks(this.partnerBudget.budget, partnerId, { priority: 'interactive', maxWaitMs: INTERACTIVE_MAX_WAIT_MS });
    return {
      ...this.config.connectwise,
      destinations: this.destinations,
      maxRetries: Math.min(this.config.connectwise.maxRetries, 2),
      retryMaxDelayMs: Math.min(this.config.connectwise.retryMaxDelayMs, 5000),
      beforeRequest: async () => {
        try {
          await hooks.beforeRequest();
        } catch (error) {
          // thrown as a ConnectWiseError, the client passes it on unchanged (anything else becomes 'network')
          if (!isBudgetWaitTooLong(error)) throw error;
          throw new ConnectWiseError({
            kind: 'throttled',
            message: 'the partner is over its ConnectWise request budget',
            retryAfterSeconds: Math.max(1, Math.ceil(error.retryAfterMs / 1000)),
          });
        }
      },
      onThrottle: hooks.onThrottle,
    };
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
      case 'throttled':
        throw new AppError(
          AppErrorCode.ConnectWiseUnavailable,
          `ConnectWise asked to slow down while ${what} (the partner's requests a minute are used up); try again in ${error.retryAfterSeconds ?? 60} s.`,
          { retryAfterSeconds: error.retryAfterSeconds ?? 60 },
        );
      default:
        throw new AppError(AppErrorCode.ConnectWiseUnavailable, `ConnectWise could not be reached while ${what}: ${error.message}`);
    }
  }
}
