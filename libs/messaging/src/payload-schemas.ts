import { z } from 'zod';
import { RESULT_ERROR_KINDS, type AccountCompleted, type AccountRequested, type CatalogCompleted, type CatalogRequested, type MessageType, type PayloadOf } from './contracts';

// Runtime checks of the payloads at the transport boundary. Each schema is annotated with the contract's
// interface, so the two cannot drift apart. Unknown extra fields are allowed (a newer producer may add some).

const id = z.string().min(1);
const warning = z.object({ code: z.string(), sku: z.string().optional(), message: z.string() });
const error = z.object({ kind: z.enum(RESULT_ERROR_KINDS), code: z.string().optional(), message: z.string(), status: z.number().int().optional() });

const catalogRequested: z.ZodType<CatalogRequested> = z.object({ runId: id, partnerId: id });

const accountRequested: z.ZodType<AccountRequested> = z.object({ runId: id, partnerId: id, accountId: id });

const catalogCompleted: z.ZodType<CatalogCompleted> = z.object({
  runId: id,
  partnerId: id,
  status: z.enum(['succeeded', 'failed']),
  catalog: z.array(z.object({ sku: z.string(), catalogItemId: z.number().int() })),
  operations: z.array(z.unknown()),
  warnings: z.array(warning).optional(),
  error: error.optional(),
  attempts: z.number().int().nonnegative(),
});

const accountCompleted: z.ZodType<AccountCompleted> = z.object({
  runId: id,
  partnerId: id,
  accountId: id,
  accountName: z.string(),
  status: z.enum(['changed', 'unchanged', 'failed', 'skipped']),
  operations: z.array(z.unknown()),
  warnings: z.array(warning),
  error: error.optional(),
  attempts: z.number().int().nonnegative(),
  connectwiseCalls: z.number().int().nonnegative().optional(),
});

const SCHEMAS: { [T in MessageType]: z.ZodType<PayloadOf<T>> } = {
  'catalog.requested': catalogRequested,
  'account.requested': accountRequested,
  'catalog.completed': catalogCompleted,
  'account.completed': accountCompleted,
};

/** Why `payload` is not a valid payload of `type`, or undefined when it is. Names fields, never values. */
export function payloadProblem(type: MessageType, payload: unknown): string | undefined {
  const result = SCHEMAS[type].safeParse(payload);
  if (result.success) return undefined;
  return result.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.code}`).join('; ');
}
