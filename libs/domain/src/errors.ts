/** Codes for inputs the domain refuses. No HTTP types here: the transport maps codes to responses. */
export enum DomainErrorCode {
  InvalidRunDate = 'DOMAIN_INVALID_RUN_DATE',
  InvalidExpectedCount = 'DOMAIN_INVALID_EXPECTED_COUNT',
  InvalidBilling = 'DOMAIN_INVALID_BILLING',
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
