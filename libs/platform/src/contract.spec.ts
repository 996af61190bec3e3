import { rm } from 'node:fs/promises';
import { FolderPlatformSource } from './folder/folder-platform-source';
import { describePlatformSourceContract, sampleDataDir, startFixtureServer } from '@cwx/platform-testing';
import { HttpPlatformSource } from './http/http-platform-source';

describePlatformSourceContract('folder adapter', async () => {
  const dir = await sampleDataDir();
  return { source: new FolderPlatformSource(dir), close: () => rm(dir, { recursive: true, force: true }) };
});

describePlatformSourceContract('HTTP adapter against the fixture server', async () => {
  const dir = await sampleDataDir();
  const server = await startFixtureServer(dir, { token: 'contract-token' });
  return {
    source: new HttpPlatformSource({ baseUrl: server.baseUrl, token: 'contract-token', maxRetries: 0 }),
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
