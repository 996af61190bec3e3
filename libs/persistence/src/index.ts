export * from './schema';
export { openDatabase, type Database, type DatabaseHandle, type DatabaseOptions } from './database';
export { CredentialsCipher, SecretUnreadableError, type SealedSecret } from './credentials-cipher';
export { lockPartnerAccounts } from './account-locks';
