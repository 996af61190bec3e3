import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric the product exports, defined once, in one registry per process. Code calls
 * the named metric (`metrics.jobs.inc(...)`); `/metrics` on the control plane and on each worker's health
 * port serves the registry. Labels never carry partner or account ids (unbounded cardinality, and a
 * partner's name is not the operator's business); per-partner detail lives in the export log.
 * The Grafana dashboard and the alert rules in `deploy/` use these names; a test checks each one exists.
 */
export const metricsRegistry = new Registry();
const registers = [metricsRegistry];

const SECONDS_SHORT = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SECONDS_WAIT = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const SECONDS_RUN = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

export const metrics = {
  buildInfo: new Gauge({ name: 'cwx_build_info', help: 'Always 1; the version and role of this process.', labelNames: ['version', 'role'], registers }),

  // ConnectWise, every HTTP attempt of every client in the process (retries are attempts of their own).
  connectwiseRequests: new Counter({
    name: 'cwx_connectwise_requests_total',
    help: 'ConnectWise HTTP attempts by method, outcome (ok or the error kind) and status ("none" without an answer).',
    labelNames: ['method', 'outcome', 'status'],
    registers,
  }),
  connectwiseRequestSeconds: new Histogram({
    name: 'cwx_connectwise_request_duration_seconds',
    help: 'Duration of one ConnectWise HTTP attempt.',
    labelNames: ['method'],
    buckets: SECONDS_SHORT,
    registers,
  }),
  connectwiseThrottled: new Counter({ name: 'cwx_connectwise_throttled_total', help: 'ConnectWise 429 answers.', registers }),
  connectwiseRetryAfterSeconds: new Counter({
    name: 'cwx_connectwise_retry_after_seconds_total',
    help: 'Waits honoured after ConnectWise 429 answers (Retry-After or backoff), in seconds.',
    registers,
  }),
  budgetWaitSeconds: new Histogram({
    name: 'cwx_connectwise_budget_wait_seconds',
    help: "Time a ConnectWise request waited for the partner's fleet-wide request budget.",
    buckets: SECONDS_WAIT,
    registers,
  }),
  budgetRefusals: new Counter({
    name: 'cwx_connectwise_budget_refusals_total',
    help: 'Requests refused by the budget because the wait would be too long (the job goes back to the queue).',
    registers,
  }),

  // Jobs, as each consumer settles them (workers: catalog and account jobs; control plane: results, dead letters).
  jobs: new Counter({
    name: 'cwx_jobs_total',
    help: 'Messages settled by a consumer, by queue and outcome: acked, handed_back (retried), deferred (waiting for a paused ConnectWise budget; not a delivery) or dead_lettered (rejected).',
    labelNames: ['queue', 'outcome'],
    registers,
  }),
  jobSeconds: new Histogram({
    name: 'cwx_job_duration_seconds',
    help: 'Handler time per message, by queue.',
    labelNames: ['queue'],
    buckets: SECONDS_SHORT,
    registers,
  }),
  deadLetters: new Counter({
    name: 'cwx_dead_letters_total',
    help: 'Messages that reached the dead-letter queue (recorded by the control plane), by original queue and reason.',
    labelNames: ['queue', 'reason'],
    registers,
  }),

  // Runs (control plane).
  runsFinished: new Counter({ name: 'cwx_runs_finished_total', help: 'Runs closed, by trigger and final status.', labelNames: ['trigger', 'status'], registers }),
  runSeconds: new Histogram({
    name: 'cwx_run_duration_seconds',
    help: 'From the run being started (or scheduled) to its close, by trigger.',
    labelNames: ['trigger'],
    buckets: SECONDS_RUN,
    registers,
  }),
  runAccounts: new Counter({
    name: 'cwx_run_accounts_total',
    help: 'Account results written into the export log, by status (changed, unchanged, failed, skipped).',
    labelNames: ['status'],
    registers,
  }),
  runsActive: new Gauge({ name: 'cwx_runs_active', help: 'Runs not yet closed, by status (queued, running).', labelNames: ['status'], registers }),
  credentialsRejected: new Counter({
    name: 'cwx_credentials_rejected_total',
    help: "Runs stopped because ConnectWise rejected the partner's stored credentials.",
    registers,
  }),

  // The outbox (control plane; read from the database at each scrape).
  outboxPending: new Gauge({
    name: 'cwx_outbox_pending',
    help: 'Outbox messages not yet published: ready (the relay publishes them now) or held (a run window releases them).',
    labelNames: ['state'],
    registers,
  }),
  outboxOldestAgeSeconds: new Gauge({
    name: 'cwx_outbox_oldest_age_seconds',
    help: 'Age of the oldest ready outbox message (0 when none): a growing value means the relay is stuck.',
    registers,
  }),

  // Reports and alerts to partners (control plane).
  notificationAttempts: new Counter({
    name: 'cwx_notification_attempts_total',
    help: 'Notification delivery attempts by channel (email, webhook) and outcome (sent, retry, failed).',
    labelNames: ['channel', 'outcome'],
    registers,
  }),
};

let defaultsStarted = false;

/**
 * Process-level metrics (CPU, memory, event loop lag, GC) and `cwx_build_info`. Called by the entry
 * points that serve `/metrics`, not at import, so test processes start no collectors.
 */
export function startProcessMetrics(role: string, version: string): void {
  metrics.buildInfo.set({ version, role }, 1);
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/** `/metrics`' body and content type. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

/** Starts a timer; the returned function gives the seconds elapsed. */
export function stopwatch(): () => number {
  const started = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - started) / 1e9;
}
