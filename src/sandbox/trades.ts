/**
 * The trade store and the rules that turn per-item states into a trade status. Amounts are
 * integer cents here; wire.ts turns a record into the contract's USD JSON.
 */
import type { TradeStatus } from "../assetpay/schemas.ts";
import type { Cents } from "../base/money.ts";
import type { Game } from "./catalog.ts";
import type { InventoryItem, SkinTraits } from "./inventory.ts";
import type { BotInfo, Delivery, Listing } from "./market.ts";

export type { TradeStatus };

export type ItemError =
  | "LISTING_UNAVAILABLE"
  | "NO_LISTING_AT_PRICE"
  | "PRICE_CHANGED"
  | "TRADE_URL_INVALID"
  | "STEAM_ACCOUNT_RESTRICTED"
  | "BUYER_TRADE_RESTRICTED"
  | "OFFER_NOT_ACCEPTED"
  | "MARKET_UNAVAILABLE"
  | "PURCHASE_FAILED";

export type TradeErrorCode =
  | ItemError
  | "USER_TRADE_RESTRICTED"
  | "USER_INVENTORY_PRIVATE"
  | "USER_ESCROW"
  | "USER_NOT_FOUND"
  | "SERVICE_UNAVAILABLE"
  | "MERCHANT_REJECTED"
  | "APPROVAL_TIMEOUT";

/** How a deposit will end, chosen by a magic input (magic.ts); undefined = completes normally. */
export type DepositOutcome = "declined" | "canceled" | "failed" | "reverted";
/** How a withdraw item will end; undefined = delivered normally. */
export type ItemOutcome = "fail" | "slow" | "declined" | "reverted";

export interface TradeItem {
  /** Deposit: the inventory item id. Withdraw: the listing id (or a placeholder row id for quick buys). */
  id: string;
  externalId?: string;
  appid: number;
  tradable: boolean;
  amount: number;
  /** Per-unit price: the offer price of a deposit, the charged price of a withdrawal. */
  priceCents: Cents;
  delivery?: Delivery;
  /** Known for deposit items; for withdraw items once AssetPay has sourced the listing. */
  traits?: SkinTraits;
  revealed: boolean;
  assetId?: string;
  marketCents?: Cents;
  status?: TradeStatus;
  error?: ItemError;
  createdAt: number;
  listing?: Listing;
  /** Instant-delivery listings come from AssetPay's own pool: no provider cancel. */
  internal?: boolean;
  botInfo?: BotInfo;
  outcome?: ItemOutcome;
  /** The error a `fail` outcome fails with. */
  failWith?: ItemError;
  cancelRequested?: boolean;
  /** The merchant wallet got this item's price back (failed, declined or reverted after approval). */
  refunded?: boolean;
  /** The inventory record a deposit item came from (restored on a revert). */
  source?: InventoryItem;
}

export interface QuickBuy {
  catalogId: string;
  delivery: Delivery;
  phase?: string;
  maxCents: Cents;
}

export interface TradeRecord {
  seq: number;
  id: string;
  type: "deposit" | "withdraw";
  source: "client" | "self";
  externalId?: string;
  externalClientUserId?: string;
  merchantId: string;
  clientUserId: string;
  clientTradeUrl: string;
  clientSteamID: string;
  offerID?: string;
  status: TradeStatus;
  game: Game;
  items: TradeItem[];
  totalCents: Cents;
  preCreditCents?: Cents;
  pendingCreditCents?: Cents;
  isInstant?: boolean;
  collateral?: { merchantCents: Cents; providerCents: Cents };
  holdEndDate?: number;
  revertedBy?: "supplier" | "user";
  botInfo?: BotInfo;
  error?: TradeErrorCode;
  activeAt?: number;
  autoCancelAt?: number;
  createdAt: number;
  updatedAt: number;
  outcome?: DepositOutcome;
  quick?: QuickBuy;
  approval?: "awaiting" | "approved" | "rejected";
  /** Deposit items have left the user's Steam inventory (accepted offer). */
  itemsTaken?: boolean;
  /** The merchant wallet was credited for this deposit. */
  walletCredited?: boolean;
}

export const IN_FLIGHT: readonly TradeStatus[] = ["initiated", "pending", "active", "hold"];
export const TERMINAL: readonly TradeStatus[] = ["completed", "failed", "canceled", "declined", "reverted"];

export function isInFlight(status: TradeStatus | undefined): boolean {
  return status !== undefined && IN_FLIGHT.includes(status);
}

/**
 * A withdrawal's status from its items: while any item is in flight, the least advanced
 * in-flight state (the trade is not done until its slowest item is); once all ended, `completed`
 * if anything was delivered, the shared state if all ended alike, otherwise `failed`.
 */
export function aggregateStatus(items: readonly TradeItem[]): TradeStatus {
  const statuses = items.map((i) => i.status ?? "initiated");
  const inFlight = statuses.filter((s) => IN_FLIGHT.includes(s));
  if (inFlight.length > 0) {
    return IN_FLIGHT.find((s) => inFlight.includes(s)) ?? "initiated";
  }
  if (statuses.includes("completed")) return "completed";
  const first = statuses[0] ?? "failed";
  return statuses.every((s) => s === first) ? first : "failed";
}

export interface TradeStore {
  add(trade: Omit<TradeRecord, "seq">): TradeRecord;
  get(id: string): TradeRecord | undefined;
  /** Resolves a trade id or an externalId. */
  byRef(ref: string): TradeRecord | undefined;
  all(): TradeRecord[];
  isExternalIdTaken(externalId: string): boolean;
  /**
   * Holds an externalId while its trade is being created (creation awaits the offer), so two
   * concurrent requests cannot both take it. False when it is already used or held.
   */
  claimExternalId(externalId: string): boolean;
  releaseExternalId(externalId: string): void;
  reset(): void;
}

export function createTradeStore(): TradeStore {
  let byId = new Map<string, TradeRecord>();
  let byExternal = new Map<string, TradeRecord>();
  let claimed = new Set<string>();
  let seq = 0;
  return {
    add(trade) {
      const record: TradeRecord = { ...trade, seq: ++seq };
      byId.set(record.id, record);
      if (record.externalId !== undefined) byExternal.set(record.externalId, record);
      return record;
    },
    get: (id) => byId.get(id),
    byRef: (ref) => byId.get(ref) ?? byExternal.get(ref),
    all: () => [...byId.values()],
    isExternalIdTaken: (externalId) => byExternal.has(externalId) || claimed.has(externalId),
    claimExternalId(externalId) {
      if (byExternal.has(externalId) || claimed.has(externalId)) return false;
      claimed.add(externalId);
      return true;
    },
    releaseExternalId(externalId) {
      claimed.delete(externalId);
    },
    reset() {
      byId = new Map();
      byExternal = new Map();
      claimed = new Set();
      seq = 0;
    },
  };
}
