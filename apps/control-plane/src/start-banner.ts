import { LOCAL_SECRETS_FILE, type ControlPlaneConfig } from '@cwx/config';
import { productVersion } from '@cwx/observability';

/** Where a person on this machine reaches a server bound to `host` (all interfaces → loopback). */
export function reachableUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/**
 * What the control plane prints once it listens: the ways in, before any log line. One line per entry,
 * so another feature adds its own line here (and nowhere else).
 */
export function startBanner(config: ControlPlaneConfig, consoleLinks: readonly { partnerId: string; url: string }[] = []): string[] {
  const url = reachableUrl(config.http.host, config.http.port);
  const local = !config.database.url;
  const mode = local ? 'local mode' : 'fleet mode';
  const lines = [
    `cwx ${productVersion()} — control plane (${mode}) listening on ${url}`,
    `  API             ${url}`,
    `  API docs        ${url}/docs (OpenAPI: ${url}/docs/openapi.json)`,
  ];
  if (local) {
    for (const link of consoleLinks) lines.push(`  console         ${link.url}   (${link.partnerId}; one-time link, valid 15 minutes)`);
    if (consoleLinks.length === 0) lines.push(`  console         ${url}/console (no partner yet: the platform data folder has none)`);
    lines.push(
      `  bearer token    npm run token -- --partner <partner id>   (all partners: npm run token -- --operator)`,
      `  data            ${config.database.localDataDir} (generated secrets: ${config.database.localDataDir}/${LOCAL_SECRETS_FILE})`,
    );
  }
  lines.push(`  health, metrics ${url}/health/ready, ${url}/metrics`);
  return lines;
}
