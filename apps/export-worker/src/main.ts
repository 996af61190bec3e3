import 'reflect-metadata';
import { createServer } from 'node:http';
import { loadExportWorkerConfig } from '@cwx/config';
import { startWorker } from './worker';

/**
 * Entry point of one export worker process. Health only over HTTP (`/health/live`, `/health/ready`);
 * SIGTERM/SIGINT finish or hand back the jobs in flight before the process exits.
 */
async function main(): Promise<void> {
  const config = loadExportWorkerConfig();
  const worker = await startWorker(config);
  const health = createServer((req, res) => {
    if (req.url === '/health/live') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (req.url === '/health/ready') {
      worker.database
        .ping()
        .then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","database":"up"}'))
        .catch(() => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"error","database":"down"}'));
      return;
    }
    res.writeHead(404).end();
  });
  if (config.http.port > 0) health.listen(config.http.port, config.http.host);
  const shutdown = async (signal: string) => {
    worker.logger.info({ signal }, 'shutting down');
    health.close();
    await worker.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
