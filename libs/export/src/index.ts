export * from './types';
export {
  ExportError,
  ExportErrorCode,
  RetryableExportError,
  CredentialsRejectedError,
  StoreError,
  classifyError,
  type ErrorDisposition,
} from './errors';
export type {
  OwnershipStore,
  OwnershipEntry,
  CatalogItemStore,
  StoredCatalogItem,
  UsersCsvStore,
  UsersCsvRecord,
  StoredUsersCsv,
  RecordedUsersCsv,
  ExportStores,
  ReviewStore,
  ReviewState,
} from './stores/stores';
export { DrizzleReviewStore } from './stores/drizzle-review-store';
export { DrizzleOwnershipStore, DrizzleCatalogItemStore, DrizzleUsersCsvStore, drizzleExportStores } from './stores/drizzle-stores';
export {
  CatalogExporter,
  MISSING_DEFAULTS_MESSAGE,
  type CatalogDefaults,
  type CatalogRunInput,
  type CatalogExporterDeps,
} from './catalog/catalog-exporter';
export { collectCatalogSkus, catalogProducts, type CollectCatalogSkusOptions } from './catalog/catalog-skus';
export { AccountExporter, type AccountRunInput, type AccountExporterDeps } from './account/account-exporter';
export { toActualAdditions } from './account/additions';
export { readPlatformLines, type PlatformLines } from './account/platform-lines';
export {
  usersCsvTitle,
  isOurUsersCsv,
  markDeletedUsersCsvs,
  DOCUMENT_CHECK_BATCH,
  USERS_CSV_TITLE_PREFIX,
  DOCUMENT_TITLE_MAX,
} from './account/users-csv-document';
