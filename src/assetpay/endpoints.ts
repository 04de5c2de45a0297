/**
 * Every AssetPay operation skinbridge calls, as data: how it is authenticated, what is checked
 * before sending, its method and path, how its query or body is built from the caller's
 * arguments, the schema its `data` is checked against, and how that data reads in skinbridge's
 * terms. `client.ts` derives each client method, its name and its type from its entry; nothing
 * about a single endpoint lives anywhere else.
 *
 * A `request` takes no default parameters: its parameter count is where the client finds the
 * per-call options that follow the arguments.
 */
import type { z } from "zod";
import { dollarsToCents } from "../base/money.ts";
import {
  type BuyRequest,
  checkQuickWithdraw,
  checkTradeRequest,
  compact,
  type DepositRequest,
  depositBody,
  type InventoryQuery,
  inventoryQuery,
  type MarketItemQuery,
  type MarketQuery,
  marketQuery,
  type QuickWithdrawRequest,
  quickWithdrawBody,
  type SellRequest,
  type TradesPage,
  type TradesQuery,
  toCancelItem,
  toInventoryPage,
  toSuggestion,
  type WalletBalance,
  type WithdrawRequest,
  withdrawBody,
} from "./requests.ts";
import {
  CancelAllData,
  CancelItemData,
  CheckTradeUrlData,
  DepositTradeWire,
  InventoryData,
  MarketData,
  MarketItemData,
  SuggestionsData,
  TradeLookupData,
  TradesPageData,
  TradeWire,
  toItem,
  toTrade,
  WalletBalanceData,
} from "./schemas.ts";

export type HttpVerb = "GET" | "POST";

/** One request, ready for the transport (timeouts, auth and retries are the client's). */
export interface Request<S extends z.ZodType> {
  method: HttpVerb;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  schema: S;
}

export type EndpointAuth = "member" | "merchant";

/**
 * `member`: a client token for the member the call is about (the method takes their identity
 * first); `merchant`: the API key.
 * `creates`: the call creates a trade of that kind — sent once, recovered by externalId.
 */
export interface Endpoint<Auth extends EndpointAuth, A extends unknown[], S extends z.ZodType, R> {
  auth: Auth;
  creates?: "deposit" | "withdraw";
  /** Refuses what must never be sent (bad money, an externalId recovery could not use). */
  check?(...args: A): void;
  request(...args: A): Request<S>;
  /** The checked `data` in skinbridge's terms (cents, domain items); the data as is when absent. */
  result?(data: z.output<S>): R;
}

const seg = (value: string): string => encodeURIComponent(value);

function endpoint<Auth extends EndpointAuth, A extends unknown[], S extends z.ZodType, R = z.output<S>>(
  e: Endpoint<Auth, A, S, R>,
): Endpoint<Auth, A, S, R> {
  return e;
}

export const ENDPOINTS = {
  checkTradeUrl: endpoint({
    auth: "merchant",
    request: (tradeUrl: string, query?: { forceRefresh?: boolean }) => ({
      method: "POST",
      path: "/secure/check-tradeurl",
      body: compact({ tradeurl: tradeUrl, forceRefresh: query?.forceRefresh }),
      schema: CheckTradeUrlData,
    }),
  }),
  inventory: endpoint({
    auth: "member",
    request: (query: InventoryQuery) => ({
      method: "GET",
      path: "/client/inventory",
      query: inventoryQuery(query),
      schema: InventoryData,
    }),
    result: toInventoryPage,
  }),
  market: endpoint({
    auth: "member",
    request: (query: MarketQuery) => ({
      method: "GET",
      path: "/client/market",
      query: marketQuery(query),
      schema: MarketData,
    }),
    result: (data) => ({ items: data.items.map(toItem), count: data.count }),
  }),
  suggestions: endpoint({
    auth: "member",
    request: (q: string) => ({
      method: "GET",
      path: "/client/market/suggestions",
      query: { q },
      schema: SuggestionsData,
    }),
    result: (data) => data.map(toSuggestion),
  }),
  marketItem: endpoint({
    auth: "member",
    request: (query: MarketItemQuery) => ({
      method: "GET",
      path: "/client/market/item",
      query: { ...query },
      schema: MarketItemData,
    }),
    result: (data) => data.map(toItem),
  }),
  trades: endpoint({
    auth: "member",
    request: (query?: TradesQuery) => ({
      method: "GET",
      path: "/client/trades",
      query: { ...query },
      schema: TradesPageData,
    }),
    result: (data): TradesPage => ({ items: data.items.map(toTrade), nextCursor: data.nextCursor }),
  }),
  deposit: endpoint({
    auth: "member",
    creates: "deposit",
    check: (req: DepositRequest) => checkTradeRequest("deposit", req),
    request: (req: DepositRequest) => ({
      method: "POST",
      path: "/client/trading/deposit",
      body: depositBody(req),
      schema: DepositTradeWire,
    }),
    result: toTrade,
  }),
  withdraw: endpoint({
    auth: "member",
    creates: "withdraw",
    check: (req: WithdrawRequest) => checkTradeRequest("withdraw", req),
    request: (req: WithdrawRequest) => ({
      method: "POST",
      path: "/client/trading/withdraw",
      body: withdrawBody(req),
      schema: TradeWire,
    }),
    result: toTrade,
  }),
  quickWithdraw: endpoint({
    auth: "member",
    creates: "withdraw",
    check: checkQuickWithdraw,
    request: (req: QuickWithdrawRequest) => ({
      method: "POST",
      path: "/client/trading/withdraw/quick",
      body: quickWithdrawBody(req),
      schema: TradeWire,
    }),
    result: toTrade,
  }),
  cancelWithdrawItem: endpoint({
    auth: "member",
    request: (tradeId: string, itemId: string) => ({
      method: "POST",
      path: `/client/trading/withdraw/${seg(tradeId)}/items/${seg(itemId)}/cancel`,
      schema: CancelItemData,
    }),
    result: toCancelItem,
  }),
  cancelWithdraw: endpoint({
    auth: "member",
    request: (tradeId: string) => ({
      method: "POST",
      path: `/client/trading/withdraw/${seg(tradeId)}/cancel`,
      schema: CancelAllData,
    }),
  }),
  getTrades: endpoint({
    auth: "merchant",
    // By trade id or externalId; several refs joined by literal commas (AssetPay splits on them).
    // Called only by the client's getTrade and getTrades, which add the batching and the misses.
    request: (refs: readonly string[]) => ({
      method: "GET",
      path: `/secure/trades/${refs.map(seg).join(",")}`,
      schema: TradeLookupData,
    }),
  }),
  secureInventory: endpoint({
    auth: "merchant",
    request: (tradeUrl: string, query: InventoryQuery) => ({
      method: "GET",
      path: "/secure/inventory",
      query: { tradeUrl, ...inventoryQuery(query) },
      schema: InventoryData,
    }),
    result: toInventoryPage,
  }),
  sell: endpoint({
    auth: "merchant",
    creates: "deposit",
    check: (req: SellRequest) => checkTradeRequest("sell", req),
    request: (req: SellRequest) => ({
      method: "POST",
      path: "/secure/sell",
      body: { tradeUrl: req.tradeUrl, ...depositBody(req) },
      schema: DepositTradeWire,
    }),
    result: toTrade,
  }),
  buy: endpoint({
    auth: "merchant",
    creates: "withdraw",
    check: (req: BuyRequest) => checkTradeRequest("buy", req),
    request: (req: BuyRequest) => ({
      method: "POST",
      path: "/secure/buy",
      body: { tradeUrl: req.tradeUrl, ...withdrawBody(req) },
      schema: TradeWire,
    }),
    result: toTrade,
  }),
  cancelBuyItem: endpoint({
    auth: "merchant",
    request: (tradeId: string, itemId: string) => ({
      method: "POST",
      path: `/secure/buy/${seg(tradeId)}/items/${seg(itemId)}/cancel`,
      schema: CancelItemData,
    }),
    result: toCancelItem,
  }),
  /** The merchant's USD wallet: what buys are paid from and sells credit. */
  walletBalance: endpoint({
    auth: "merchant",
    request: () => ({
      method: "GET",
      path: "/v1/wallets/me/balance",
      schema: WalletBalanceData,
    }),
    result: (data): WalletBalance => ({
      balanceCents: dollarsToCents(data.balance),
      pendingCents: dollarsToCents(data.pendingBalance ?? 0),
      currency: data.currency,
    }),
  }),
} as const;

export type EndpointName = keyof typeof ENDPOINTS;

/** Every operation's name, as timeouts, logs and metrics know it. */
export type OperationName = EndpointName | "authenticateClient" | "getTrade";
