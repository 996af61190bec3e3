import { loadConnectWiseSimConfig } from '@cwx/config';
import { createSimulatorApp } from './app.module';
import { demoSeed } from './simulator/demo-seed';
import { loadSeedFile } from './simulator/seed';
import { Simulator } from './simulator/simulator';

async function bootstrap(): Promise<void> {
  const config = loadConnectWiseSimConfig();
  const seed = config.seedFile ? loadSeedFile(config.seedFile) : demoSeed;
  const simulator = new Simulator({
    seed,
    codebase: config.codebase,
    rateLimitPerMinute: config.rateLimitPerMinute,
    faults: config.faults,
  });
  const app = await createSimulatorApp(simulator, { logLevel: config.logLevel });
  await app.listen(config.port, config.host);
  const site = `${config.host}:${config.port}`;
  const { tenant, members } = simulator.state;
  const lines = [
    '',
    `ConnectWise Manage simulator listening on http://${site}`,
    `  company id   ${tenant.companyId}   (GET http://${site}/login/companyinfo/${tenant.companyId})`,
    `  API          http://${site}/${tenant.codebase}apis/3.0/  (also /v4_6_release/apis/3.0/)`,
    ...members.map((m) => `  member       ${m.identifier}: public key ${m.publicKey}, private key ${m.privateKey}`),
    `  clientId     any non-empty value`,
    `  rate limit   ${config.rateLimitPerMinute || 'unlimited'} requests/minute per company`,
    `  control      http://${site}/__sim/requests, /__sim/state, PUT /__sim/config, POST /__sim/reset`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`connectwise-sim failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
