/**
 * `npm start`: one entry for every way the product runs (see loadRuntimeRole): local mode as a
 * service, or a fleet role, the control plane or an export worker.
 */
import { loadRuntimeRole } from '@cwx/config';

try {
  const role = loadRuntimeRole();
  console.log(`cwx: starting ${role === 'local' ? 'local mode (control plane, scheduler, worker and in-process queue on embedded PostgreSQL)' : role}`);
  // The entry points start themselves when loaded.
  void (role === 'worker' ? import('../apps/export-worker/src/main') : import('../apps/control-plane/src/main'));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
