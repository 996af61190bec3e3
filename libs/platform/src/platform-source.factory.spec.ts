import { ConfigValidationError, loadPlatformConfig } from '@cwx/config';
import { FolderPlatformSource } from './folder/folder-platform-source';
import { HttpPlatformSource } from './http/http-platform-source';
import { createPlatformSource } from './platform-source.factory';

describe('platform configuration and adapter choice', () => {
  const secret = 'plat-token-value-123';

  it('reads a data folder by default', () => {
    expect(loadPlatformConfig({})).toEqual({ kind: 'folder', dataDir: './data/platform' });
    expect(createPlatformSource(loadPlatformConfig({ PLATFORM_DATA_DIR: '/srv/platform' }))).toBeInstanceOf(FolderPlatformSource);
  });

  it('uses the HTTP API when a URL and a token are given', () => {
    const config = loadPlatformConfig({
      PLATFORM_API_URL: 'https://panel.example.com/api/v1',
      PLATFORM_API_TOKEN: secret,
      PLATFORM_MAX_RETRIES: '5',
    });
    expect(config).toEqual({
      kind: 'http',
      apiUrl: 'https://panel.example.com/api/v1',
      apiToken: secret,
      requestTimeoutMs: 15000,
      maxRetries: 5,
      retryMaxDelayMs: 10000,
    });
    expect(createPlatformSource(config)).toBeInstanceOf(HttpPlatformSource);
  });

  it('allows plain http to loopback only', () => {
    expect(loadPlatformConfig({ PLATFORM_API_URL: 'http://127.0.0.1:4020', PLATFORM_API_TOKEN: secret }).kind).toBe('http');
    expect(() => loadPlatformConfig({ PLATFORM_API_URL: 'http://panel.example.com', PLATFORM_API_TOKEN: secret })).toThrow(
      /PLATFORM_API_URL: must use https/,
    );
  });

  it('names each bad variable and never echoes a value', () => {
    let caught: unknown;
    try {
      loadPlatformConfig({ PLATFORM_API_URL: 'https://x.example', PLATFORM_DATA_DIR: secret, PLATFORM_REQUEST_TIMEOUT_MS: secret });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect((caught as ConfigValidationError).problems.map((p) => p.variable)).toEqual(['PLATFORM_REQUEST_TIMEOUT_MS']);
    expect((caught as Error).message).not.toContain(secret);
    expect(() => loadPlatformConfig({ PLATFORM_API_URL: 'https://x.example', PLATFORM_DATA_DIR: secret })).toThrow(
      /PLATFORM_API_TOKEN: is required.*PLATFORM_DATA_DIR: must not be set/,
    );
  });
});
