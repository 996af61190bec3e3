export * from './contract/types';
export {
  PlatformError,
  PlatformErrorCode,
  PlatformNotFoundError,
  PlatformUnavailableError,
  PlatformUnauthorizedError,
  PlatformRequestRejectedError,
  PlatformInvalidDataError,
  type PlatformResource,
  type DataProblem,
} from './contract/errors';
export { iterateAccounts, type PlatformSource } from './contract/platform-source';
export { paginate } from './contract/paging';
export {
  MONEY_DECIMALS,
  QUANTITY_DECIMALS,
  roundMoney,
  roundQuantity,
  roundTo,
  sumPlanLines,
  toPlatformUsers,
  neutraliseText,
  LONE_SURROGATE,
  type PlanLine,
  type UserRecord,
} from './contract/normalize';
export { FolderPlatformSource } from './folder/folder-platform-source';
export { PlatformFolderStore, FOLDER_FILES } from './folder/folder-store';
export { HttpPlatformSource, type HttpPlatformSourceOptions } from './http/http-platform-source';
export { createPlatformSource } from './platform-source.factory';
export {
  ID_PATTERN as PLATFORM_ID_PATTERN,
  type AccountFile,
  type AccountsFile,
  type PartnerDocument,
  type RetailPricesFile,
  type SkusFile,
} from './wire/schemas';
