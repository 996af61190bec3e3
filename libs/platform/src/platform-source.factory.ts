import type { PlatformConfig } from '@cwx/config';
import type { PlatformSource } from './contract/platform-source';
import { FolderPlatformSource } from './folder/folder-platform-source';
import { HttpPlatformSource } from './http/http-platform-source';

/** The adapter the configuration asks for (see `loadPlatformConfig` in @cwx/config). */
export function createPlatformSource(config: PlatformConfig): PlatformSource {
  if (config.kind === 'folder') return new FolderPlatformSource(config.dataDir);
  return new HttpPlatformSource({
    baseUrl: config.apiUrl,
    token: config.apiToken,
    timeoutMs: config.requestTimeoutMs,
    maxRetries: config.maxRetries,
    retryMaxDelayMs: config.retryMaxDelayMs,
  });
}
