/**
 * Every AssetPay operation skinbridge calls, as data: how it is authenticated, its method and
 * path, how its query or body is built from the caller's arguments, and the schema its `data`
 * is checked against. `client.ts` turns each entry into a typed method; nothing about a single
 * endpoint lives anywhere else.
 */
import type { z } from "zod";
import {
  type BuyRequest,
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
  type TradesQuery,
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
  WalletBalanceData,
} from "./schemas.ts";

export type HttpVerb = "GET" | "POST";

/** One request, ready for the transport (timeouts, auth and retries are the client's). */
export interface Request<S extends z.ZodType> {
  operation: OperationName;
  method: HttpVerb;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  schema: S;
}

/**
 * `member`: a client token for the member the call is about; `merchant`: the API key.
 * `creates`: the call creates a trade of that kind — sent once, recovered by externalId.
 */
export interface Endpoint<A extends unknown[], S extends z.ZodType> {
  auth: "member" | "merchant";
  creates?: "deposit" | "withdraw";
  request(...args: A): Request<S>;
}

const seg = (value: string): string => encodeURIComponent(value);

function endpoint<A extends unknown[], S extends z.ZodType>(e: Endpoint<A, S>): Endpoint<A, S> {
  return e;
}

export const ENDPOINTS = {
  checkTradeUrl: endpoint({
    auth: "merchant",
    request: (tradeUrl: string, query: { forceRefresh?: boolean } = {}) => ({
      operation: "checkTradeUrl",
      method: "POST",
      path: "/secure/check-tradeurl",
      body: compact({ tradeurl: tradeUrl, forceRefresh: query.forceRefresh }),
      schema: CheckTradeUrlData,
    }),
  }),
  inventory: endpoint({
    auth: "member",
    request: (query: InventoryQuery) => ({
      operation: "inventory",
      method: "GET",
      path: "/client/inventory",
      query: inventoryQuery(query),
      schema: InventoryData,
    }),
  }),
  market: endpoint({
    auth: "member",
    request: (query: MarketQuery) => ({
      operation: "market",
      method: "GET",
      path: "/client/market",
      query: marketQuery(query),
      schema: MarketData,
    }),
  }),
  suggestions: endpoint({
    auth: "member",
    request: (q: string) => ({
      operation: "suggestions",
      method: "GET",
      path: "/client/market/suggestions",
      query: { q },
      schema: SuggestionsData,
    }),
  }),
  marketItem: endpoint({
    auth: "member",
    request: (query: MarketItemQuery) => ({
      operation: "marketItem",
      method: "GET",
      path: "/client/market/item",
      query: { ...query },
      schema: MarketItemData,
    }),
  }),
  trades: endpoint({
    auth: "member",
    request: (query: TradesQuery = {}) => ({
      operation: "trades",
      method: "GET",
      path: "/client/trades",
      query: { ...query },
      schema: TradesPageData,
    }),
  }),
  deposit: endpoint({
    auth: "member",
    creates: "deposit",
    request: (req: DepositRequest) => ({
      operation: "deposit",
      method: "POST",
      path: "/client/trading/deposit",
      body: depositBody(req),
      schema: DepositTradeWire,
    }),
  }),
  withdraw: endpoint({
    auth: "member",
    creates: "withdraw",
    request: (req: WithdrawRequest) => ({
      operation: "withdraw",
      method: "POST",
      path: "/client/trading/withdraw",
      body: withdrawBody(req),
      schema: TradeWire,
    }),
  }),
  quickWithdraw: endpoint({
    auth: "member",
    creates: "withdraw",
    request: (req: QuickWithdrawRequest) => ({
      operation: "quickWithdraw",
      method: "POST",
      path: "/client/trading/withdraw/quick",
      body: quickWithdrawBody(req),
      schema: TradeWire,
    }),
  }),
  cancelWithdrawItem: endpoint({
    auth: "member",
    request: (tradeId: string, itemId: string) => ({
      operation: "cancelWithdrawItem",
      method: "POST",
      path: `/client/trading/withdraw/${seg(tradeId)}/items/${seg(itemId)}/cancel`,
      schema: CancelItemData,
    }),
  }),
  cancelWithdraw: endpoint({
    auth: "member",
    request: (tradeId: string) => ({
      operation: "cancelWithdraw",
      method: "POST",
      path: `/client/trading/withdraw/${seg(tradeId)}/cancel`,
      schema: CancelAllData,
    }),
  }),
  getTrades: endpoint({
    auth: "merchant",
    // By trade id or externalId; several refs joined by literal commas (AssetPay splits on them).
    request: (refs: readonly string[]) => ({
      operation: refs.length === 1 ? "getTrade" : "getTrades",
      method: "GET",
      path: `/secure/trades/${refs.map(seg).join(",")}`,
      schema: TradeLookupData,
    }),
  }),
  secureInventory: endpoint({
    auth: "merchant",
    request: (tradeUrl: string, query: InventoryQuery) => ({
      operation: "secureInventory",
      method: "GET",
      path: "/secure/inventory",
      query: { tradeUrl, ...inventoryQuery(query) },
      schema: InventoryData,
    }),
  }),
  sell: endpoint({
    auth: "merchant",
    creates: "deposit",
    request: (req: SellRequest) => ({
      operation: "sell",
      method: "POST",
      path: "/secure/sell",
      body: { tradeUrl: req.tradeUrl, ...depositBody(req) },
      schema: DepositTradeWire,
    }),
  }),
  buy: endpoint({
    auth: "merchant",
    creates: "withdraw",
    request: (req: BuyRequest) => ({
      operation: "buy",
      method: "POST",
      path: "/secure/buy",
      body: { tradeUrl: req.tradeUrl, ...withdrawBody(req) },
      schema: TradeWire,
    }),
  }),
  cancelBuyItem: endpoint({
    auth: "merchant",
    request: (tradeId: string, itemId: string) => ({
      operation: "cancelBuyItem",
      method: "POST",
      path: `/secure/buy/${seg(tradeId)}/items/${seg(itemId)}/cancel`,
      schema: CancelItemData,
    }),
  }),
  walletBalance: endpoint({
    auth: "merchant",
    request: () => ({
      operation: "walletBalance",
      method: "GET",
      path: "/v1/wallets/me/balance",
      schema: WalletBalanceData,
    }),
  }),
} as const;

export type OperationName =
  | "authenticateClient"
  | "checkTradeUrl"
  | "inventory"
  | "market"
  | "suggestions"
  | "marketItem"
  | "trades"
  | "deposit"
  | "withdraw"
  | "quickWithdraw"
  | "cancelWithdrawItem"
  | "cancelWithdraw"
  | "getTrade"
  | "getTrades"
  | "secureInventory"
  | "sell"
  | "buy"
  | "cancelBuyItem"
  | "walletBalance";
