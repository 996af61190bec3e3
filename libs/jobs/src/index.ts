export { ExportJobHandlers, type ExportJobHandlersOptions, type JobLogger } from './export-job-handlers';
export { JobContextLoader, toExportSettings, runDateOf } from './job-context';
export { InMemoryJobLock, RedisJobLock, type JobLock, type LockHandle } from './job-lock';
