import { Injectable } from '@nestjs/common';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { consoleSignInCodes, type Database } from '@cwx/persistence';
import type { Principal } from '../auth/principal';
import { InjectDatabase } from '../database/database.module';
import { hashSignInCode, newSignInCode, SIGN_IN_CODE_TTL_SECONDS } from './console-sessions';

@Injectable()
export class SignInCodesRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async create(principal: Principal, ttlSeconds = SIGN_IN_CODE_TTL_SECONDS): Promise<{ code: string; expiresAt: Date }> {
    const { code, hash } = newSignInCode();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    // Old codes are of no use: drop them while we are here.
    await this.db.delete(consoleSignInCodes).where(lt(consoleSignInCodes.expiresAt, new Date(Date.now() - 86_400_000)));
    await this.db.insert(consoleSignInCodes).values({ codeHash: hash, principal, expiresAt });
    return { code, expiresAt };
  }

  /** Marks the code used and returns who it signs in; undefined when unknown, used or expired. */
  async redeem(code: string): Promise<Principal | undefined> {
    const now = new Date();
    const rows = await this.db
      .update(consoleSignInCodes)
      .set({ usedAt: now })
      .where(and(eq(consoleSignInCodes.codeHash, hashSignInCode(code)), isNull(consoleSignInCodes.usedAt), gt(consoleSignInCodes.expiresAt, now)))
      .returning({ principal: consoleSignInCodes.principal });
    return rows[0]?.principal as Principal | undefined;
  }
}
