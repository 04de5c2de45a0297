/**
 * The typed AssetPay client skinbridge builds on. Money crosses this boundary as integer cents in
 * both directions (see requests.ts); member calls carry a cached client token, replayed once with
 * a fresh one if AssetPay calls it invalid; trade-creating POSTs are sent exactly once and, when
 * they fail on the way, settled by looking the trade up by externalId (see recovery.ts), so a
 * member is never charged or credited twice for one click.
 */
import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import type { z } from "zod";
import { type Cents, dollarsToCents } from "../base/money.ts";
import { ENDPOINTS, type Endpoint, type OperationName } from "./endpoints.ts";
import { AssetPayError } from "./errors.ts";
import {
  type Call,
  createTransport,
  DEFAULT_RETRY,
  type LoggerLike,
  type ResponseInfo,
  type RetryPolicy,
} from "./http.ts";
import { createTradeOnce } from "./recovery.ts";
import {
  type BuyRequest,
  type CancelAllResult,
  type CancelItemResult,
  type CheckTradeUrlResult,
  checkExternalId,
  checkPrices,
  checkQuickWithdraw,
  checkRef,
  compact,
  type DepositRequest,
  type InventoryPage,
  type InventoryQuery,
  type MarketItemQuery,
  type MarketPage,
  type MarketQuery,
  type QuickWithdrawRequest,
  type SellRequest,
  type Suggestion,
  type TradesPage,
  type TradesQuery,
  toCancelItem,
  toInventoryPage,
  toSuggestion,
  type WithdrawRequest,
} from "./requests.ts";
import { type Item, TokenData, type Trade, type TradeLookupData, toItem, toTrade } from "./schemas.ts";
import type { ClientData } from "./token.ts";
import { type ClientIdentity, createTokenCache, type TokenStore } from "./token-cache.ts";

export type { OperationName } from "./endpoints.ts";
export type * from "./requests.ts";
export type { ClientIdentity, TokenStore } from "./token-cache.ts";

// POSTs without side effects: one only reads, the other re-issues a token.
const IDEMPOTENT_POSTS: ReadonlySet<OperationName> = new Set(["checkTradeUrl", "authenticateClient"]);
/** Auth failures raised before the server does anything, so replaying with a new token is safe. */
const TOKEN_REJECTED = new Set(["INVALID_TOKEN", "TOKEN_EXPIRED", "TOKEN_INVALID_OR_EXPIRED"]);
const MAX_REFS_PER_LOOKUP = 100;

export interface TimeoutOptions {
  /** Calls that create trades: AssetPay sets up Steam offers inline, which is slow. */
  tradeMs?: number;
  /** Everything else. */
  defaultMs?: number;
  perOperation?: Partial<Record<OperationName, number>>;
}

export const DEFAULT_TIMEOUTS = { tradeMs: 100_000, defaultMs: 15_000 } as const;

export interface AssetPayClientOptions {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** With it, client tokens are minted locally; without it, fetched from /auth/authenticate-client. */
  merchantId?: string;
  logger?: LoggerLike;
  timeouts?: TimeoutOptions;
  retry?: Partial<RetryPolicy>;
  /** Where member tokens are cached (a Keyv instance fits); default: in process memory. */
  tokenCache?: TokenStore;
  dispatcher?: Dispatcher;
  onResponse?: (info: ResponseInfo) => void;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Waits out retry backoffs and short Retry-After pauses (tests inject one that does not wait). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Per-call options every method (but authenticateClient) accepts last. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface WalletBalance {
  balanceCents: Cents;
  pendingCents: Cents;
  currency: string;
}

export interface AssetPayClient {
  /** A fresh token (cached for later calls); clientData feeds AssetPay's instant-credit risk model. */
  authenticateClient(identity: ClientIdentity, clientData?: ClientData): Promise<string>;
  checkTradeUrl(
    tradeUrl: string,
    query?: { forceRefresh?: boolean },
    opts?: CallOptions,
  ): Promise<CheckTradeUrlResult>;
  inventory(identity: ClientIdentity, query: InventoryQuery, opts?: CallOptions): Promise<InventoryPage>;
  market(identity: ClientIdentity, query: MarketQuery, opts?: CallOptions): Promise<MarketPage>;
  suggestions(identity: ClientIdentity, q: string, opts?: CallOptions): Promise<Suggestion[]>;
  marketItem(identity: ClientIdentity, query: MarketItemQuery, opts?: CallOptions): Promise<Item[]>;
  trades(identity: ClientIdentity, query?: TradesQuery, opts?: CallOptions): Promise<TradesPage>;
  deposit(identity: ClientIdentity, req: DepositRequest, opts?: CallOptions): Promise<Trade>;
  withdraw(identity: ClientIdentity, req: WithdrawRequest, opts?: CallOptions): Promise<Trade>;
  quickWithdraw(identity: ClientIdentity, req: QuickWithdrawRequest, opts?: CallOptions): Promise<Trade>;
  cancelWithdrawItem(
    identity: ClientIdentity,
    tradeId: string,
    itemId: string,
    opts?: CallOptions,
  ): Promise<CancelItemResult>;
  cancelWithdraw(identity: ClientIdentity, tradeId: string, opts?: CallOptions): Promise<CancelAllResult>;
  /** By trade id or externalId; a miss is AssetPayError TRADE_NOT_FOUND. */
  getTrade(ref: string, opts?: CallOptions): Promise<Trade>;
  /** Batch lookup; misses are simply absent from the result. */
  getTrades(refs: readonly string[], opts?: CallOptions): Promise<Trade[]>;
  secureInventory(tradeUrl: string, query: InventoryQuery, opts?: CallOptions): Promise<InventoryPage>;
  sell(req: SellRequest, opts?: CallOptions): Promise<Trade>;
  buy(req: BuyRequest, opts?: CallOptions): Promise<Trade>;
  cancelBuyItem(tradeId: string, itemId: string, opts?: CallOptions): Promise<CancelItemResult>;
  /** The merchant's USD wallet: what buys are paid from and sells credit. */
  walletBalance(opts?: CallOptions): Promise<WalletBalance>;
  /** Closes the connection pool (an injected dispatcher stays open). */
  close(): Promise<void>;
}

type RequestSpec<S extends z.ZodType> = Omit<Call<S>, "auth" | "timeoutMs" | "idempotent" | "operation"> & {
  operation: OperationName;
};

function signalOf(callOpts: CallOptions | undefined): { signal?: AbortSignal } {
  return callOpts?.signal === undefined ? {} : { signal: callOpts.signal };
}

export function createAssetPayClient(opts: AssetPayClientOptions): AssetPayClient {
  const now = opts.now ?? Date.now;
  const log = opts.logger;
  const transport = createTransport({
    baseUrl: opts.baseUrl,
    apiKey: opts.apiKey,
    secrets: [opts.apiSecret],
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    now,
    ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
    ...(opts.dispatcher === undefined ? {} : { dispatcher: opts.dispatcher }),
    ...(log === undefined ? {} : { logger: log }),
    ...(opts.onResponse === undefined ? {} : { onResponse: opts.onResponse }),
  });

  function timeoutFor(operation: OperationName): number {
    const t = opts.timeouts ?? {};
    const perOp = t.perOperation?.[operation];
    if (perOp !== undefined) return perOp;
    const endpoint = (ENDPOINTS as Record<string, { creates?: string }>)[operation];
    return endpoint?.creates !== undefined
      ? (t.tradeMs ?? DEFAULT_TIMEOUTS.tradeMs)
      : (t.defaultMs ?? DEFAULT_TIMEOUTS.defaultMs);
  }

  function spec<S extends z.ZodType>(s: RequestSpec<S>, callOpts?: CallOptions): Omit<Call<S>, "auth"> {
    return {
      ...s,
      timeoutMs: timeoutFor(s.operation),
      idempotent: s.method === "GET" || IDEMPOTENT_POSTS.has(s.operation),
      ...signalOf(callOpts),
    };
  }

  function asMerchant<S extends z.ZodType>(s: RequestSpec<S>, callOpts?: CallOptions): Promise<z.output<S>> {
    return transport.send({ ...spec(s, callOpts), auth: { kind: "api-key" } });
  }

  const tokens = createTokenCache({
    apiSecret: opts.apiSecret,
    ...(opts.merchantId === undefined ? {} : { merchantId: opts.merchantId }),
    ...(opts.tokenCache === undefined ? {} : { store: opts.tokenCache }),
    now,
    authenticate: async (identity, clientData) => {
      const data = await asMerchant({
        operation: "authenticateClient",
        method: "POST",
        path: "/auth/authenticate-client",
        body: compact({
          clientSteamId: identity.steamId,
          clientTradeUrl: identity.tradeUrl,
          clientId: identity.memberId,
          clientData,
        }),
        schema: TokenData,
      });
      return data.token;
    },
  });

  async function asMember<S extends z.ZodType>(
    identity: ClientIdentity,
    s: RequestSpec<S>,
    callOpts?: CallOptions,
  ): Promise<z.output<S>> {
    const call = { ...spec(s, callOpts), requestId: randomUUID() };
    const token = await tokens.get(identity);
    try {
      return await transport.send({ ...call, auth: { kind: "bearer", token } });
    } catch (err) {
      if (!(err instanceof AssetPayError) || err.status !== 401 || !TOKEN_REJECTED.has(err.key)) throw err;
      log?.info(
        { operation: s.operation, requestId: call.requestId, key: err.key },
        "client token refused; re-minting",
      );
      await tokens.invalidate(identity);
      const fresh = await tokens.get(identity, { fresh: true });
      return transport.send({ ...call, auth: { kind: "bearer", token: fresh } });
    }
  }

  /** One endpoint of the table, called with its auth; trade-creating ones sent exactly once. */
  function call<A extends unknown[], S extends z.ZodType>(
    e: Endpoint<A, S>,
    identity: ClientIdentity | undefined,
    args: A,
    callOpts: CallOptions | undefined,
  ): Promise<z.output<S>> {
    const request = e.request(...args) as RequestSpec<S>;
    if (e.auth === "member") return asMember(identity as ClientIdentity, request, callOpts);
    return asMerchant(request, callOpts);
  }

  async function getTrade(ref: string, callOpts?: CallOptions): Promise<Trade> {
    checkRef("getTrade", ref);
    const data = await call(ENDPOINTS.getTrades, undefined, [[ref]], callOpts);
    if (!Array.isArray(data)) return toTrade(data);
    const hit = data.find((t) => t.id === ref || t.externalId === ref);
    if (hit === undefined) {
      throw new AssetPayError({
        status: 404,
        code: 0,
        key: "TRADE_NOT_FOUND",
        message: "getTrade: no trade with that reference",
        operation: "getTrade",
      });
    }
    return toTrade(hit);
  }

  /** A trade-creating endpoint: its prices and externalId checked, sent once, recovered by externalId. */
  async function create<A extends [{ externalId?: string; items: { priceCents: Cents }[] }]>(
    name: "deposit" | "withdraw" | "sell" | "buy",
    e: Endpoint<A, z.ZodType>,
    identity: ClientIdentity | undefined,
    req: A[0],
    callOpts: CallOptions | undefined,
  ): Promise<Trade> {
    checkPrices(name, req.items);
    checkExternalId(name, req.externalId);
    return createTradeOnce(
      {
        operation: name,
        kind: e.creates as Trade["type"],
        externalId: req.externalId,
        lookup: (ref) => getTrade(ref, callOpts),
        ...(log === undefined ? {} : { logger: log }),
      },
      async () => toTrade((await call(e, identity, [req] as A, callOpts)) as never),
    );
  }

  return {
    async authenticateClient(identity, clientData) {
      // Always a fresh token: AssetPay overwrites its risk data with each authentication.
      return tokens.get(identity, clientData === undefined ? { fresh: true } : { fresh: true, clientData });
    },
    checkTradeUrl: (tradeUrl, query = {}, o) =>
      call(ENDPOINTS.checkTradeUrl, undefined, [tradeUrl, query], o),
    inventory: async (identity, query, o) =>
      toInventoryPage(await call(ENDPOINTS.inventory, identity, [query], o)),
    market: async (identity, query, o) => {
      const data = await call(ENDPOINTS.market, identity, [query], o);
      return { items: data.items.map(toItem), count: data.count };
    },
    suggestions: async (identity, q, o) =>
      (await call(ENDPOINTS.suggestions, identity, [q], o)).map(toSuggestion),
    marketItem: async (identity, query, o) =>
      (await call(ENDPOINTS.marketItem, identity, [query], o)).map(toItem),
    trades: async (identity, query = {}, o) => {
      const data = await call(ENDPOINTS.trades, identity, [query], o);
      return { items: data.items.map(toTrade), nextCursor: data.nextCursor };
    },
    deposit: (identity, req, o) => create("deposit", ENDPOINTS.deposit, identity, req, o),
    withdraw: (identity, req, o) => create("withdraw", ENDPOINTS.withdraw, identity, req, o),
    quickWithdraw: async (identity, req, o) => {
      checkQuickWithdraw(req);
      return createTradeOnce(
        {
          operation: "quickWithdraw",
          kind: "withdraw",
          externalId: req.externalId,
          lookup: (ref) => getTrade(ref, o),
          ...(log === undefined ? {} : { logger: log }),
        },
        async () => toTrade(await call(ENDPOINTS.quickWithdraw, identity, [req], o)),
      );
    },
    cancelWithdrawItem: async (identity, tradeId, itemId, o) =>
      toCancelItem(await call(ENDPOINTS.cancelWithdrawItem, identity, [tradeId, itemId], o)),
    cancelWithdraw: (identity, tradeId, o) => call(ENDPOINTS.cancelWithdraw, identity, [tradeId], o),
    getTrade,
    async getTrades(refs, o) {
      for (const ref of refs) checkRef("getTrades", ref);
      const unique = [...new Set(refs)];
      const out: Trade[] = [];
      for (let i = 0; i < unique.length; i += MAX_REFS_PER_LOOKUP) {
        const chunk = unique.slice(i, i + MAX_REFS_PER_LOOKUP);
        let data: z.output<typeof TradeLookupData>;
        try {
          data = await asMerchant({ ...ENDPOINTS.getTrades.request(chunk), operation: "getTrades" }, o);
        } catch (err) {
          // A one-ref lookup answers a miss with 404 rather than an empty list.
          if (err instanceof AssetPayError && err.key === "TRADE_NOT_FOUND") continue;
          throw err;
        }
        for (const t of Array.isArray(data) ? data : [data]) out.push(toTrade(t));
      }
      return out;
    },
    secureInventory: async (tradeUrl, query, o) =>
      toInventoryPage(await call(ENDPOINTS.secureInventory, undefined, [tradeUrl, query], o)),
    sell: (req, o) => create("sell", ENDPOINTS.sell, undefined, req, o),
    buy: (req, o) => create("buy", ENDPOINTS.buy, undefined, req, o),
    cancelBuyItem: async (tradeId, itemId, o) =>
      toCancelItem(await call(ENDPOINTS.cancelBuyItem, undefined, [tradeId, itemId], o)),
    async walletBalance(o) {
      const data = await call(ENDPOINTS.walletBalance, undefined, [], o);
      return {
        balanceCents: dollarsToCents(data.balance),
        pendingCents: dollarsToCents(data.pendingBalance ?? 0),
        currency: data.currency,
      };
    },
    close: () => transport.close(),
  };
}
