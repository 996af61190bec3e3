import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, type Database, type DatabaseHandle, type DatabaseOptions } from '@cwx/persistence';
import { join } from 'node:path';

export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');
export const DATABASE = Symbol('DATABASE');

/** Injects the drizzle database (`@InjectDatabase() db: Database`). */
export const InjectDatabase = () => Inject(DATABASE);

export function databaseOptionsFrom(config: { url?: string; localDataDir: string; inMemory?: boolean }): DatabaseOptions {
  if (config.url) return { driver: 'postgres', url: config.url };
  return { driver: 'pglite', dataDir: config.inMemory ? undefined : join(config.localDataDir, 'pglite') };
}

class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_HANDLE) private readonly handle: DatabaseHandle) {}
  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

/** Opens the store (PostgreSQL or PGlite) and applies migrations before the app starts serving. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATABASE_HANDLE,
          useFactory: async (): Promise<DatabaseHandle> => {
            const handle = openDatabase(options);
            await handle.migrate();
            return handle;
          },
        },
        { provide: DATABASE, useFactory: (handle: DatabaseHandle): Database => handle.db, inject: [DATABASE_HANDLE] },
        DatabaseLifecycle,
      ],
      exports: [DATABASE_HANDLE, DATABASE],
    };
  }
}
