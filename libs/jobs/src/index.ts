export { ExportJobHandlers, type ExportJobHandlersOptions } from './export-job-handlers';
export {
  ExportAccount,
  ExportCatalog,
  runPrepared,
  type AccountOutcome,
  type CatalogOutcome,
  type ExportAccountCommand,
  type ExportCatalogCommand,
  type ExportUseCaseDeps,
  type PartnerConnection,
  type PreparedExport,
} from './export-use-cases';
export { ExportContext, JobContextLoader, toExportSettings } from './job-context';
export { ExportJobsController, ExportWorkerModule, type ExportWorkerModuleOptions } from './export-worker.module';
export { InMemoryJobLock, RedisJobLock, type JobLock, type LockHandle } from './job-lock';
