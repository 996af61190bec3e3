import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One-time sign-in codes for the web console (`POST /auth/console-codes`): only the code's SHA-256 is
 * kept, with who it signs in; `used_at` is set by the one exchange that may use it.
 */
export const consoleSignInCodes = pgTable('console_sign_in_codes', {
  codeHash: text('code_hash').primaryKey(),
  principal: jsonb('principal').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});
