import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration into libs/persistence/migrations after a schema change.
export default defineConfig({
  dialect: 'postgresql',
  schema: './libs/persistence/src/schema/index.ts',
  out: './libs/persistence/migrations',
});
