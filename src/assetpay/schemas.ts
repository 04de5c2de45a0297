/**
 * Wire schemas for the AssetPay payloads skinbridge reads, following the official contract
 * (v0.8.3; the copy the tests check against is `test/support/assetpay-openapi.json`). Objects are loose: a field AssetPay adds tomorrow
 * is kept, not crashed on. Prices stay USD numbers here; `toTrade`/`toItem` turn them into
 * integer cents, and nothing past this module sees a dollar amount.
 */
import { z } from "zod";
import { type Cents, dollarsToCents } from "../base/money.ts";

export const TRADE_URL_PATTERN =
  /^https:\/\/steamcommunity\.com\/tradeoffer\/new\/\?partner=\d{1,10}&token=[A-Za-z0-9_-]{8}$/;
export const STEAM_ID_PATTERN = /^76561\d{12}$/;

export { GAME_IDS, type GameId, type GameKey } from "../base/games.ts";

export const TRADE_STATUSES = [
  "initiated",
  "pending",
  "active",
  "hold",
  "completed",
  "failed",
  "canceled",
  "declined",
  "reverted",
] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];
export const IN_FLIGHT_STATUSES: readonly TradeStatus[] = ["initiated", "pending", "active", "hold"];
export const TERMINAL_STATUSES: readonly TradeStatus[] = [
  "completed",
  "failed",
  "canceled",
  "declined",
  "reverted",
];
export function isTerminal(status: TradeStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export const ITEM_ERRORS = [
  "LISTING_UNAVAILABLE",
  "NO_LISTING_AT_PRICE",
  "PRICE_CHANGED",
  "TRADE_URL_INVALID",
  "STEAM_ACCOUNT_RESTRICTED",
  "BUYER_TRADE_RESTRICTED",
  "OFFER_NOT_ACCEPTED",
  "MARKET_UNAVAILABLE",
  "PURCHASE_FAILED",
] as const;
export const TRADE_ERRORS = [
  ...ITEM_ERRORS,
  "USER_TRADE_RESTRICTED",
  "USER_INVENTORY_PRIVATE",
  "USER_ESCROW",
  "USER_NOT_FOUND",
  "SERVICE_UNAVAILABLE",
  "MERCHANT_REJECTED",
  "APPROVAL_TIMEOUT",
] as const;
export type TradeError = (typeof TRADE_ERRORS)[number];

export const DOPPLER_PHASES = [
  "Phase 1",
  "Phase 2",
  "Phase 3",
  "Phase 4",
  "Ruby",
  "Sapphire",
  "Black Pearl",
  "Emerald",
] as const;

const botInfo = z.looseObject({
  name: z.string(),
  avatar: z.string().optional(),
  joined: z.string().optional(),
  steamId: z.string().optional(),
});

export const ItemWire = z.looseObject({
  id: z.string(),
  itemId: z.string().optional(),
  externalId: z.string().optional(),
  assetId: z.string().optional(),
  appid: z.number().int(),
  name: z.string().optional(),
  marketHashName: z.string().optional(),
  type: z.string().optional(),
  iconUrl: z.string().optional(),
  tradable: z.boolean(),
  amount: z.number().optional(),
  status: z.enum(TRADE_STATUSES).optional(),
  // Kept as a string: an item error AssetPay adds later must not make a callback unreadable.
  error: z.string().optional(),
  marketPrice: z.number().optional(),
  offer: z
    .looseObject({
      price: z.number(),
      delivery: z.enum(["standard", "instant"]).optional(),
      maxAmount: z.number().optional(),
      accepted: z.boolean().optional(),
    })
    .optional(),
  exterior: z.string().optional(),
  rarity: z.string().optional(),
  color: z.string().optional(),
  wear: z.string().optional(),
  paintSeed: z.number().int().optional(),
  previewToken: z.string().optional(),
  doppler: z
    .looseObject({ status: z.number().int().optional(), name: z.string(), paintIndex: z.number().optional() })
    .optional(),
  fade: z.looseObject({ percentage: z.number() }).optional(),
  hardened: z.looseObject({ status: z.number().int(), name: z.string() }).optional(),
  stickers: z
    .array(
      z.looseObject({
        name: z.string(),
        marketHashName: z.string().optional(),
        slot: z.number().int(),
        wear: z.number().optional(),
        iconUrl: z.string(),
      }),
    )
    .optional(),
  charm: z
    .looseObject({ name: z.string(), marketHashName: z.string().optional(), iconUrl: z.string() })
    .optional(),
  botInfo: botInfo.optional(),
});
export type ItemWire = z.infer<typeof ItemWire>;

const tradeShape = {
  id: z.string(),
  type: z.enum(["deposit", "withdraw"]),
  source: z.enum(["client", "self"]),
  externalId: z.string().optional(),
  externalClientUserId: z.string().optional(),
  merchantId: z.string(),
  // Required by the contract, yet the docs' own self-trade examples omit it: accept both.
  clientUserId: z.string().optional(),
  clientTradeUrl: z.string(),
  clientSteamID: z.string(),
  offerID: z.string().optional(),
  status: z.enum(TRADE_STATUSES),
  game: z.string(),
  items: z.array(ItemWire),
  totalPrice: z.number(),
  preCredit: z.number().optional(),
  pendingCredit: z.number().optional(),
  isInstant: z.boolean().optional(),
  collateral: z.looseObject({ merchant: z.number(), provider: z.number() }).optional(),
  holdEndDate: z.string().optional(),
  revertedBy: z.enum(["supplier", "user"]).optional(),
  botInfo: botInfo.optional(),
  error: z.string().optional(),
  activeAt: z.string().optional(),
  autoCancelAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
export const TradeWire = z.looseObject(tradeShape);
export type TradeWire = z.infer<typeof TradeWire>;
/** The deposit/sell response: a Trade that may carry sibling trades of a split basket. */
export const DepositTradeWire = z.looseObject({
  ...tradeShape,
  relatedTrades: z.array(TradeWire).optional(),
});
export type DepositTradeWire = z.infer<typeof DepositTradeWire>;

export const ErrorBodyWire = z.looseObject({
  code: z.number().int(),
  key: z.string(),
  message: z.union([z.string(), z.array(z.string())]),
  fields: z.record(z.string(), z.string()).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export const ErrorEnvelopeWire = z.looseObject({
  requestId: z.string(),
  success: z.literal(false),
  error: ErrorBodyWire,
});

export function envelope<T extends z.ZodType>(data: T) {
  return z.looseObject({ requestId: z.string(), success: z.literal(true), data });
}

export const TokenData = z.looseObject({ token: z.string() });
export const CheckTradeUrlData = z.looseObject({
  state: z.number().int().min(1).max(10),
  steamid: z.string().optional(),
  message: z.string(),
  canTrade: z.boolean().optional(),
  reason: z.looseObject({ escrowDays: z.number().int(), probation: z.boolean() }).optional(),
  bans: z
    .looseObject({ vacBanned: z.boolean(), gameBans: z.number().int(), economyBan: z.string() })
    .optional(),
});
export type CheckTradeUrlData = z.infer<typeof CheckTradeUrlData>;
export const InventoryData = z.looseObject({
  inventory: z.array(ItemWire),
  count: z.number().int(),
  updatedAt: z.string(),
  collateral: z.number(),
});
export const MarketData = z.looseObject({ items: z.array(ItemWire), count: z.number().int() });
export const MarketItemData = z.array(ItemWire);
export const SuggestionWire = z.looseObject({
  id: z.string(),
  marketHashName: z.string(),
  iconUrl: z.string(),
  rarity: z.string().optional(),
  rarityColor: z.string().optional(),
  itemType: z.string().optional(),
});
export const SuggestionsData = z.array(SuggestionWire);
export const TradesPageData = z.looseObject({ items: z.array(TradeWire), nextCursor: z.string().nullable() });
export const CancelItemData = z.looseObject({
  tradeId: z.string(),
  itemId: z.string(),
  externalId: z.string().optional(),
  status: z.literal("cancelled"),
});
export const CancelAllData = z.looseObject({
  tradeId: z.string(),
  requested: z.number().int(),
  cancelled: z.number().int(),
  failed: z.number().int(),
  items: z.array(
    z.looseObject({
      itemId: z.string(),
      externalId: z.string().optional(),
      status: z.enum(["cancelled", "failed"]),
      reason: z.string().optional(),
    }),
  ),
});
export type CancelAllData = z.infer<typeof CancelAllData>;
export const WalletBalanceData = z.looseObject({
  balance: z.number(),
  pendingBalance: z.number().optional(),
  escrowBalance: z.number().optional(),
  currency: z.string(),
});

export const TradeLookupData = z.union([TradeWire, z.array(TradeWire)]);

/** A trade callback's body (crypto bodies and the URL-test ping are told apart before it). */
export const TradeEvent = z.looseObject({ trade: TradeWire });

// ---------------------------------------------------------------------------------------------
// Domain shapes: what the rest of skinbridge sees. Money in integer cents.

export interface Item {
  id: string;
  catalogId?: string;
  externalId?: string;
  assetId?: string;
  appid: number;
  name: string;
  marketHashName?: string;
  type?: string;
  iconUrl?: string;
  tradable: boolean;
  amount: number;
  status?: TradeStatus;
  error?: string;
  marketPriceCents?: Cents;
  /** The offer price: what a deposit pays the member, or what a listing costs. */
  priceCents?: Cents;
  delivery?: "standard" | "instant";
  accepted?: boolean;
  exterior?: string;
  wear?: string;
  rarity?: string;
  color?: string;
  phase?: string;
  stickers?: string[];
}

export interface Trade {
  id: string;
  type: "deposit" | "withdraw";
  source: "client" | "self";
  externalId?: string;
  externalClientUserId?: string;
  clientSteamId: string;
  clientTradeUrl: string;
  offerId?: string;
  status: TradeStatus;
  game: string;
  items: Item[];
  totalCents: Cents;
  preCreditCents?: Cents;
  pendingCreditCents?: Cents;
  isInstant?: boolean;
  holdEndDate?: string;
  revertedBy?: "supplier" | "user";
  error?: string;
  activeAt?: string;
  autoCancelAt?: string;
  createdAt: string;
  updatedAt: string;
  relatedTrades?: Trade[];
}

function optCents(usd: number | undefined): Cents | undefined {
  return usd === undefined ? undefined : dollarsToCents(usd);
}

export function toItem(w: ItemWire): Item {
  const item: Item = {
    id: w.id,
    appid: w.appid,
    name: w.name ?? w.marketHashName ?? w.id,
    tradable: w.tradable,
    amount: w.amount ?? 1,
  };
  if (w.itemId !== undefined) item.catalogId = w.itemId;
  if (w.externalId !== undefined) item.externalId = w.externalId;
  if (w.assetId !== undefined) item.assetId = w.assetId;
  if (w.marketHashName !== undefined) item.marketHashName = w.marketHashName;
  if (w.type !== undefined) item.type = w.type;
  if (w.iconUrl !== undefined) item.iconUrl = w.iconUrl;
  if (w.status !== undefined) item.status = w.status;
  if (w.error !== undefined) item.error = w.error;
  if (w.marketPrice !== undefined) item.marketPriceCents = dollarsToCents(w.marketPrice);
  if (w.offer !== undefined) {
    item.priceCents = dollarsToCents(w.offer.price);
    if (w.offer.delivery !== undefined) item.delivery = w.offer.delivery;
    if (w.offer.accepted !== undefined) item.accepted = w.offer.accepted;
  }
  if (w.exterior !== undefined) item.exterior = w.exterior;
  if (w.wear !== undefined) item.wear = w.wear;
  if (w.rarity !== undefined) item.rarity = w.rarity;
  if (w.color !== undefined) item.color = w.color;
  if (w.doppler !== undefined) item.phase = w.doppler.name;
  if (w.stickers !== undefined) item.stickers = w.stickers.map((s) => s.name);
  return item;
}

export function toTrade(w: TradeWire | DepositTradeWire): Trade {
  const t: Trade = {
    id: w.id,
    type: w.type,
    source: w.source,
    clientSteamId: w.clientSteamID,
    clientTradeUrl: w.clientTradeUrl,
    status: w.status,
    game: w.game,
    items: w.items.map(toItem),
    totalCents: dollarsToCents(w.totalPrice),
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
  if (w.externalId !== undefined) t.externalId = w.externalId;
  if (w.externalClientUserId !== undefined) t.externalClientUserId = w.externalClientUserId;
  if (w.offerID !== undefined) t.offerId = w.offerID;
  const pre = optCents(w.preCredit);
  if (pre !== undefined) t.preCreditCents = pre;
  const pending = optCents(w.pendingCredit);
  if (pending !== undefined) t.pendingCreditCents = pending;
  if (w.isInstant !== undefined) t.isInstant = w.isInstant;
  if (w.holdEndDate !== undefined) t.holdEndDate = w.holdEndDate;
  if (w.revertedBy !== undefined) t.revertedBy = w.revertedBy;
  if (w.error !== undefined) t.error = w.error;
  if (w.activeAt !== undefined) t.activeAt = w.activeAt;
  if (w.autoCancelAt !== undefined) t.autoCancelAt = w.autoCancelAt;
  if ("relatedTrades" in w && Array.isArray(w.relatedTrades)) {
    t.relatedTrades = (w.relatedTrades as TradeWire[]).map(toTrade);
  }
  return t;
}
