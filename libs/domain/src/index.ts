export * from './settings';
export * from './errors';
export * from './money';
export { CATALOG_IDENTIFIER_MAX, CATALOG_DESCRIPTION_MAX, CATALOG_CUSTOMER_DESCRIPTION_MAX, catalogIdentifierFor } from './catalog-identifier';
export * from './catalog-plan';
export * from './account-types';
export * from './account-plan';
export * from './users-csv';
export * from './run-summary';
