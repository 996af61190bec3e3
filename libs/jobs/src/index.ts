export { ExportJobHandlers, type ExportJobHandlersOptions, type JobLogger } from './export-job-handlers';
export { JobContextLoader, toExportSettings, runDateOf } from './job-context';
