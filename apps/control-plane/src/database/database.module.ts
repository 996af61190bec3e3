import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ExportAccount, ExportCatalog, type ExportUseCaseDeps } from '@cwx/jobs';
import { CredentialsCipher, CredentialsRepository, openDatabase, type Database, type DatabaseHandle, type DatabaseOptions, type Transaction } from '@cwx/persistence';
import { join } from 'node:path';

export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');
export const DATABASE = Symbol('DATABASE');

/** Injects the drizzle database (`@InjectDatabase() db: Database`): for repositories only. */
export const InjectDatabase = () => Inject(DATABASE);

export function databaseOptionsFrom(config: { url?: string; localDataDir: string; inMemory?: boolean }): DatabaseOptions {
  if (config.url) return { driver: 'postgres', url: config.url };
  return { driver: 'pglite', dataDir: config.inMemory ? undefined : join(config.localDataDir, 'pglite') };
}

/**
 * Opens a transaction for work that spans repositories (each takes the transaction as an argument)
 * without handing the database itself to the use-case.
 */
@Injectable()
export class Transactions {
  constructor(@InjectDatabase() private readonly db: Database) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}

/**
 * Builds the export's own use-cases (@cwx/jobs ExportCatalog, ExportAccount) for the control plane's dry runs (the
 * preview, the reconciliation) without handing the database to the feature: libs/jobs reads and records through its
 * own stores (ExportContext, @cwx/export's drizzle stores), built on the database here, as the embedded worker's are.
 */
@Injectable()
export class ExportUseCases {
  constructor(@InjectDatabase() private readonly db: Database) {}

  catalog(deps: Omit<ExportUseCaseDeps, 'db'>): ExportCatalog {
    return new ExportCatalog({ ...deps, db: this.db });
  }

  account(deps: Omit<ExportUseCaseDeps, 'db'>): ExportAccount {
    return new ExportAccount({ ...deps, db: this.db });
  }
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
        // the repositories libs/persistence shares with the workers
        { provide: CredentialsRepository, useFactory: (db: Database, cipher: CredentialsCipher) => new CredentialsRepository(db, cipher), inject: [DATABASE, CredentialsCipher] },
        DatabaseLifecycle,
        Transactions,
        ExportUseCases,
      ],
      exports: [DATABASE_HANDLE, DATABASE, CredentialsRepository, Transactions, ExportUseCases],
    };
  }
}
