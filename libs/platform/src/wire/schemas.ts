import { z } from 'zod';
import { neutraliseText } from '../contract/normalize';
import { MAX_PAGE_SIZE } from '../contract/types';

/**
 * The documents exchanged with the platform: the HTTP API's response bodies and the data folder's
 * files share these shapes (see openapi/platform-api.json and README.md). Ids must be safe as a
 * path segment and as a file name.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const id = z.string().regex(ID_PATTERN, 'must be 1-128 letters, digits, ".", "_" or "-", not starting with a symbol');
/** Text as the platform sends it, NUL and lone surrogates neutralised (see `neutraliseText`). */
const anyText = z.string().transform(neutraliseText);
const text = (max?: number) => {
  const inner = z.string().min(1, 'must not be empty');
  return anyText.pipe(max === undefined ? inner : inner.max(max));
};
const money = z.number().finite().min(0, 'must be at least 0');
const quantity = z.number().finite().min(0, 'must be at least 0');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

/** Adds an issue for every item whose key repeats an earlier item's. */
function uniqueBy<T>(key: (item: T) => string, what: string) {
  return (items: T[], ctx: z.core.$RefinementCtx<T[]>): void => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const k = key(item);
      const first = seen.get(k);
      if (first === undefined) seen.set(k, index);
      else ctx.addIssue({ code: 'custom', path: [index], message: `repeats ${what} "${k}" of item ${first}` });
    });
  };
}

export const partnerSchema = z.object({ id, name: text(), currency });

export const accountSchema = z.object({ id, name: text(), status: z.enum(['active', 'suspended', 'cancelled']) });
/**
 * An account list is read item by item (`parseAccountList`): an account that breaks the contract is left
 * out and reported, never failing the partner's whole list.
 */
export const accountListSchema = z.array(z.unknown());

export const skuSchema = z.object({
  sku: text(64),
  name: text(),
  description: anyText.optional(),
  unit: anyText.optional(),
});
export const skuListSchema = z.array(skuSchema).superRefine(uniqueBy((s) => s.sku, 'SKU'));

export const retailPriceSchema = z.object({ sku: text(64), price: money });
export const retailPriceListSchema = z.array(retailPriceSchema).superRefine(uniqueBy((p) => p.sku, 'SKU'));

export const planLineSchema = z.object({
  planId: text(),
  planName: anyText.optional(),
  sku: text(64),
  quantity,
  unitCost: money,
  term: z.enum(['monthly', 'annual']).optional(),
});

export const userRecordSchema = z.object({
  id: text(),
  email: anyText.pipe(z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be an email address')),
  displayName: anyText,
  services: z.array(z.object({ name: text(), enabled: z.boolean() })),
  skus: z.array(text(64)).optional(),
});
export const userListSchema = z.array(userRecordSchema).superRefine(uniqueBy((u) => u.id, 'user id'));

/* ---- HTTP response bodies ---- */
export const accountPageResponseSchema = z.object({
  items: accountListSchema,
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE),
  total: z.number().int().min(0),
});
export const skusResponseSchema = z.object({ items: skuListSchema });
export const retailPricesResponseSchema = z.object({ currency, items: retailPriceListSchema });
export const subscriptionsResponseSchema = z.object({ items: z.array(planLineSchema) });
export const usersResponseSchema = z.object({ items: userListSchema });

/* ---- Data folder files ---- */
export const accountsFileSchema = z.object({ items: accountListSchema });
export const skusFileSchema = skusResponseSchema;
export const retailPricesFileSchema = z.object({ items: retailPriceListSchema });
export const accountFileSchema = z.object({
  subscriptions: z.array(planLineSchema),
  users: userListSchema,
});

export type PartnerDocument = z.infer<typeof partnerSchema>;
export type AccountsFile = z.infer<typeof accountsFileSchema>;
export type SkusFile = z.infer<typeof skusFileSchema>;
export type RetailPricesFile = z.infer<typeof retailPricesFileSchema>;
export type AccountFile = z.infer<typeof accountFileSchema>;
