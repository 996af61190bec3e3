import 'reflect-metadata';
import { loadControlPlaneConfig } from '@cwx/config';
import { createControlPlaneApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadControlPlaneConfig();
  const app = await createControlPlaneApp({ config });
  await app.listen(config.http.port, config.http.host);
}

main().catch((error: unknown) => {
  // Config errors name the variable, never its value; anything else is printed without request data.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
