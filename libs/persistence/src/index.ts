export * from './schema';
export { openDatabase, type Database, type DatabaseHandle, type DatabaseOptions } from './database';
export { CredentialsCipher, SecretUnreadableError, type SealedSecret } from './credentials-cipher';
export { inPartnerTransaction, lockPartnerAccounts, type PartnerTransaction, type Transaction } from './partner-transaction';
export { exportedAccounts, isExported, type ExportedAccount } from './exported-accounts';
export { CredentialsRepository, type OpenedCredentials, type StoredCredentials } from './credentials.repository';
export { lockPartnerReview, reviewTotals, reviewTotalsSql, selectRows, type ReviewChangeStatus, type ReviewTotals, type ReviewTotalsFilter } from './review-queue';
