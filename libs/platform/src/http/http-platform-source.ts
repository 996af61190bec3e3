import axios, { type AxiosInstance } from 'axios';
import axiosRetry from 'axios-retry';
import type { z } from 'zod';
import { sortSkus, sumPlanLines, toPlatformUsers, toRetailPriceList } from '../contract/normalize';
import { PlatformNotFoundError } from '../contract/errors';
import { resolvePageRequest } from '../contract/paging';
import type { PlatformSource } from '../contract/platform-source';
import type {
  AccountSubscription,
  Page,
  PageRequest,
  PlatformAccount,
  PlatformPartner,
  PlatformSku,
  PlatformUser,
  RetailPriceList,
} from '../contract/types';
import { parseAccountList, parseDocument } from '../wire/parse';
import {
  ID_PATTERN,
  accountPageResponseSchema,
  partnerSchema,
  retailPricesResponseSchema,
  skusResponseSchema,
  subscriptionsResponseSchema,
  usersResponseSchema,
} from '../wire/schemas';
import { isTransient, retryDelayMs, toPlatformError, type CallContext } from './http-errors';

export interface HttpPlatformSourceOptions {
  /** The API's base URL, e.g. https://panel.example.com/api/v1 (paths are appended to it). */
  baseUrl: string;
  /** Bearer token. Kept only inside the HTTP client; never in errors or logs. */
  token: string;
  /** Per attempt. Default 15,000. */
  timeoutMs?: number;
  /** Retries after a network error, a timeout, a 429 or a 5xx. Default 3. */
  maxRetries?: number;
  /** First backoff step; doubles each retry. Default 250. */
  retryBaseDelayMs?: number;
  /** Cap on one wait, Retry-After included. Default 10,000. */
  retryMaxDelayMs?: number;
}

/** `PlatformSource` over the platform's HTTP API (openapi/platform-api.json). Read-only: GET only. */
export class HttpPlatformSource implements PlatformSource {
  // A #private field: util.inspect and JSON.stringify of the source never reach the token.
  readonly #http: AxiosInstance;

  constructor(options: HttpPlatformSourceOptions) {
    const baseMs = options.retryBaseDelayMs ?? 250;
    const maxMs = options.retryMaxDelayMs ?? 10_000;
    this.#http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 15_000,
      maxRedirects: 0,
      headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
      transitional: { clarifyTimeoutError: true },
    });
    axiosRetry(this.#http, {
      retries: options.maxRetries ?? 3,
      retryCondition: isTransient,
      retryDelay: (n, error) => retryDelayMs(n, error, baseMs, maxMs),
      shouldResetTimeout: true,
    });
  }

  async getPartner(partnerId: string): Promise<PlatformPartner> {
    const { id, name, currency } = await this.get(partnerSchema, { path: partnerPath(partnerId), partnerId });
    return { id, name, currency };
  }

  async listAccounts(partnerId: string, request: PageRequest = {}): Promise<Page<PlatformAccount>> {
    const params = resolvePageRequest(request);
    const body = await this.get(accountPageResponseSchema, { path: `${partnerPath(partnerId)}/accounts`, partnerId }, params);
    const { accounts, rejected } = parseAccountList(body.items);
    return { ...body, items: accounts, ...(rejected.length > 0 ? { rejected } : {}) };
  }

  async getSkus(partnerId: string): Promise<PlatformSku[]> {
    return sortSkus((await this.get(skusResponseSchema, { path: `${partnerPath(partnerId)}/skus`, partnerId })).items);
  }

  async getRetailPrices(partnerId: string): Promise<RetailPriceList> {
    const body = await this.get(retailPricesResponseSchema, { path: `${partnerPath(partnerId)}/retail-prices`, partnerId });
    return toRetailPriceList(body.currency, body.items);
  }

  async getSubscriptions(partnerId: string, accountId: string): Promise<AccountSubscription[]> {
    const call = { path: `${accountPath(partnerId, accountId)}/subscriptions`, partnerId, accountId };
    return sumPlanLines((await this.get(subscriptionsResponseSchema, call)).items);
  }

  async getUsers(partnerId: string, accountId: string): Promise<PlatformUser[]> {
    const call = { path: `${accountPath(partnerId, accountId)}/users`, partnerId, accountId };
    return toPlatformUsers((await this.get(usersResponseSchema, call)).items);
  }

  private async get<S extends z.ZodType>(schema: S, call: CallContext, params?: object): Promise<z.infer<S>> {
    let data: unknown;
    try {
      data = (await this.#http.get<unknown>(call.path, { params })).data;
    } catch (error) {
      throw toPlatformError(error, call);
    }
    return parseDocument(schema, data, `GET ${call.path}`);
  }
}

/** An id off the id rule names nothing on the platform: not found, without a request (and never a URIError). */
const partnerPath = (partnerId: string): string => {
  if (!ID_PATTERN.test(partnerId)) throw new PlatformNotFoundError('partner', partnerId);
  return `/partners/${encodeURIComponent(partnerId)}`;
};
const accountPath = (partnerId: string, accountId: string): string => {
  const partner = partnerPath(partnerId);
  if (!ID_PATTERN.test(accountId)) throw new PlatformNotFoundError('account', partnerId, accountId);
  return `${partner}/accounts/${encodeURIComponent(accountId)}`;
};
