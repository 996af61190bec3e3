import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'cwx-connectwise-billing-export';
let cached: string | undefined;

/**
 * The product's version, from the repository's package.json (found by walking up from this file, which
 * runs from `src/` under tests and from `dist/` otherwise). The OpenAPI document, the start banner and
 * the `cwx_build_info` metric all say this one.
 */
export function productVersion(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return (cached = pkg.version);
    }
    dir = dirname(dir);
  }
  throw new Error(`package.json of ${PACKAGE_NAME} not found above ${__dirname}`);
}
