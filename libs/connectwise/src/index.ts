export { ConnectWiseClient, CLIENT_DEFAULTS, type ConnectWiseClientOptions } from './client';
export { basicAuthorization, type ConnectWiseCredentials } from './auth';
export { validateCredentials, type CredentialCheck } from './credentials';
export {
  ConnectWiseError,
  isConnectWiseError,
  type ConnectWiseErrorKind,
  type ConnectWiseValidationError,
} from './errors';
export { SitePolicy, CONNECTWISE_API_HOSTS, extraOriginProblem, parseExtraOrigin, type ResolvedSite, type SitePolicyOptions } from './site-policy';
export { CodebaseCache, defaultCodebaseCache, type CompanyInfo } from './codebase';
export { REQUIRED_PERMISSIONS, missingPermissions, type MissingPermission, type RequiredPermission, type SecurityAction } from './permissions';
export { MAX_PAGE_SIZE, type ListQuery } from './paging';
export { cwAnd, cwContains, cwEquals, cwIn, cwString } from './conditions';
export type { CreateOptions, Refind } from './create';
export type { RequestEvent, RequestStats, AttemptOutcome } from './http/stats';
export type { DocumentUpload, DownloadedDocument } from './resources/documents';
export type { CountQuery } from './resources/collection';
export { replaceOps } from './types';
export type {
  Addition,
  Agreement,
  AgreementType,
  BillingCycle,
  CatalogItem,
  Company,
  CompanyStatus,
  CompanyType,
  Contact,
  DocumentInfo,
  MyMember,
  MySecurity,
  NewRecord,
  PatchOperation,
  ProcurementCategory,
  ProcurementSubcategory,
  ProductType,
  SystemInfo,
  UnitOfMeasure,
} from './types';
