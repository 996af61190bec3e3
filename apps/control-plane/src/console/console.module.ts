import { type DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_PATH, ConsoleController } from './console.controller';
import { SignInCodesRepository } from './sign-in-codes.repository';

/** Where `npm run build:console` writes the console's static files: dist/console (from the sources or from dist/). */
export const CONSOLE_DIST =
  [join(__dirname, '..', '..', '..', '..', 'console'), join(__dirname, '..', '..', '..', '..', 'dist', 'console')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  ) ?? join(__dirname, '..', '..', '..', '..', 'dist', 'console');

/** Hashed assets never change under their name; index.html is always asked again. */
function cacheHeaders(res: { setHeader(name: string, value: string): void }, path: string): void {
  res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** The console's sign-in endpoints, and its static files under /console when they were built. */
@Module({})
export class ConsoleModule {
  static forRoot(): DynamicModule {
    const built = existsSync(join(CONSOLE_DIST, 'index.html'));
    return {
      module: ConsoleModule,
      imports: built ? [ServeStaticModule.forRoot({ rootPath: CONSOLE_DIST, serveRoot: CONSOLE_PATH, serveStaticOptions: { setHeaders: cacheHeaders } })] : [],
      controllers: [ConsoleController],
      providers: [SignInCodesRepository],
      exports: [SignInCodesRepository],
    };
  }
}
