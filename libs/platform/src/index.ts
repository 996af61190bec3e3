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
export {
  MONEY_DECIMALS,
  QUANTITY_DECIMALS,
  roundMoney,
  roundQuantity,
  sumPlanLines,
  toPlatformUsers,
  type PlanLine,
  type UserRecord,
} from './contract/normalize';
export { FolderPlatformSource } from './folder/folder-platform-source';
export { PlatformFolderStore, FOLDER_FILES } from './folder/folder-store';
export { HttpPlatformSource, type HttpPlatformSourceOptions } from './http/http-platform-source';
export {
  startFixtureServer,
  createFixtureHandler,
  type FixtureServerOptions,
  type RunningFixtureServer,
} from './fixture-server/fixture-server';
export { createPlatformSource } from './platform-source.factory';
export * from './generator';
