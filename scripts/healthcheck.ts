/**
 * The image's HEALTHCHECK: asks this container's own process whether it is ready, on the port its
 * configuration says (`/health/ready` of the control plane, local mode or a worker; `--sim`: the
 * simulator's `/health`). Exit 0 when it answers 200, 1 otherwise. No curl in the image: Node's fetch.
 */
import { loadConnectWiseSimConfig, loadControlPlaneConfig, loadExportWorkerConfig, loadRuntimeRole } from '@cwx/config';

function target(): string {
  if (process.argv.includes('--sim')) return `http://127.0.0.1:${loadConnectWiseSimConfig().port}/health`;
  const port = loadRuntimeRole() === 'worker' ? loadExportWorkerConfig().http.port : loadControlPlaneConfig().http.port;
  return `http://127.0.0.1:${port}/health/ready`;
}

async function check(): Promise<void> {
  const url = target();
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

check().catch((error: unknown) => {
  process.stderr.write(`not ready: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
