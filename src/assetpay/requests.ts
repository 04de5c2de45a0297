/**
 * What the client sends and returns, in skinbridge's terms (integer cents, domain items and
 * trades), and the one place those are mapped to and from AssetPay's wire shapes: USD numbers,
 * `game` as a string in bodies and an integer in inventory/market queries, and bodies holding
 * only the fields the contract allows (it rejects anything else).
 */
import type { z } from "zod";
import { type Cents, centsToDollars, dollarsToCents } from "../base/money.ts";
import { invalidInput } from "./errors.ts";
import type { QueryValue } from "./http.ts";
import {
  type CancelAllData,
  type CancelItemData,
  type CheckTradeUrlData,
  type DOPPLER_PHASES,
  type GameId,
  type InventoryData,
  type Item,
  type SuggestionWire,
  type Trade,
  toItem,
} from "./schemas.ts";

export type InventorySort = "relevance" | "priceAsc" | "priceDesc" | "nameAsc" | "nameDesc";
export type DopplerPhase = (typeof DOPPLER_PHASES)[number];

export interface InventoryQuery {
  game: GameId;
  refresh?: boolean;
  acceptedOnly?: boolean;
  search?: string;
  sort?: InventorySort;
  minPriceCents?: Cents;
  maxPriceCents?: Cents;
  page?: number;
  /** -1 returns the whole inventory. */
  limit?: number;
}

export interface InventoryPage {
  items: Item[];
  count: number;
  updatedAt: string;
  /** Instant-credit headroom AssetPay grants this member (always 0 for self-trades). */
  collateralCents: Cents;
}

export interface MarketQuery {
  game: GameId;
  search?: string;
  sort?: InventorySort;
  minPriceCents?: Cents;
  maxPriceCents?: Cents;
  page?: number;
  perPage?: number;
}

export interface MarketPage {
  items: Item[];
  count: number;
}

export interface Suggestion {
  id: string;
  marketHashName: string;
  iconUrl: string;
  rarity?: string;
  rarityColor?: string;
  itemType?: string;
}

export interface MarketItemQuery {
  itemId?: string;
  marketHashName?: string;
  delivery?: "any" | "standard" | "instant";
  phase?: DopplerPhase;
  floatMin?: number;
  floatMax?: number;
  page?: number;
  perPage?: number;
}

export interface TradesQuery {
  cursor?: string;
  limit?: number;
  type?: "deposit" | "withdraw";
  game?: GameId;
}

export interface TradesPage {
  items: Trade[];
  nextCursor: string | null;
}

export interface DepositItem {
  itemId: string;
  /** Must equal the inventory offer price exactly. */
  priceCents: Cents;
  amount?: number;
}

export interface DepositRequest {
  items: DepositItem[];
  game: GameId;
  externalId: string;
  isInstant: boolean;
}

export interface WithdrawItem {
  itemId: string;
  priceCents: Cents;
  maxPriceCents?: Cents;
  externalId?: string;
}

export interface WithdrawRequest {
  items: WithdrawItem[];
  game: GameId;
  externalId: string;
  /** Minutes (30–720; 720 disables). */
  autoCancel?: number;
  slippageBps?: number;
}

export interface QuickWithdrawRequest {
  itemId?: string;
  marketHashName?: string;
  maxPriceCents: Cents;
  amount: number;
  delivery?: "standard" | "instant";
  phase?: DopplerPhase;
  autoCancel?: number;
  game: GameId;
  /** Without it a transport failure cannot be resolved: the error says tradeCreated "unknown". */
  externalId?: string;
  externalIds?: string[];
}

export interface CancelItemResult {
  tradeId: string;
  itemId: string;
  externalId?: string;
  status: "cancelled";
}

export type CancelAllResult = CancelAllData;
export type CheckTradeUrlResult = CheckTradeUrlData;

export interface WalletBalance {
  balanceCents: Cents;
  pendingCents: Cents;
  currency: string;
}

export interface SellRequest extends DepositRequest {
  tradeUrl: string;
}

export interface BuyRequest extends WithdrawRequest {
  tradeUrl: string;
}

export function optDollars(cents: Cents | undefined): number | undefined {
  return cents === undefined ? undefined : centsToDollars(cents);
}

/** Drops undefined members so strict bodies carry only what was given. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

export function inventoryQuery(q: InventoryQuery): Record<string, QueryValue> {
  return {
    game: Number(q.game),
    refresh: q.refresh,
    acceptedOnly: q.acceptedOnly,
    search: q.search,
    sort: q.sort,
    minPrice: optDollars(q.minPriceCents),
    maxPrice: optDollars(q.maxPriceCents),
    page: q.page,
    limit: q.limit,
  };
}

export function marketQuery(q: MarketQuery): Record<string, QueryValue> {
  return {
    game: Number(q.game),
    search: q.search,
    sort: q.sort,
    minPrice: optDollars(q.minPriceCents),
    maxPrice: optDollars(q.maxPriceCents),
    page: q.page,
    perPage: q.perPage,
  };
}

export function depositBody(req: DepositRequest) {
  return {
    items: req.items.map((i) =>
      compact({ itemId: i.itemId, price: centsToDollars(i.priceCents), amount: i.amount }),
    ),
    game: req.game,
    externalId: req.externalId,
    // Sent even when false: the docs and the contract disagree on its default.
    isInstant: req.isInstant,
  };
}

export function withdrawBody(req: WithdrawRequest) {
  return compact({
    items: req.items.map((i) =>
      compact({
        itemId: i.itemId,
        price: centsToDollars(i.priceCents),
        maxPrice: optDollars(i.maxPriceCents),
        externalId: i.externalId,
      }),
    ),
    slippageBps: req.slippageBps,
    autoCancel: req.autoCancel,
    game: req.game,
    externalId: req.externalId,
  });
}

export function quickWithdrawBody(req: QuickWithdrawRequest) {
  return compact({
    itemId: req.itemId,
    marketHashName: req.marketHashName,
    maxPrice: centsToDollars(req.maxPriceCents),
    amount: req.amount,
    delivery: req.delivery,
    phase: req.phase,
    autoCancel: req.autoCancel,
    game: req.game,
    externalId: req.externalId,
    externalIds: req.externalIds,
  });
}

export function toInventoryPage(data: z.output<typeof InventoryData>): InventoryPage {
  return {
    items: data.inventory.map(toItem),
    count: data.count,
    updatedAt: data.updatedAt,
    collateralCents: dollarsToCents(data.collateral),
  };
}

export function toCancelItem(data: z.output<typeof CancelItemData>): CancelItemResult {
  const out: CancelItemResult = { tradeId: data.tradeId, itemId: data.itemId, status: data.status };
  if (data.externalId !== undefined) out.externalId = data.externalId;
  return out;
}

export function toSuggestion(s: z.output<typeof SuggestionWire>): Suggestion {
  const out: Suggestion = { id: s.id, marketHashName: s.marketHashName, iconUrl: s.iconUrl };
  if (s.rarity !== undefined) out.rarity = s.rarity;
  if (s.rarityColor !== undefined) out.rarityColor = s.rarityColor;
  if (s.itemType !== undefined) out.itemType = s.itemType;
  return out;
}

// Checks made before sending: each guards something the client itself relies on, or money.

export function checkExternalId(operation: string, value: string | undefined): void {
  if (value === undefined) return;
  // A comma would turn the recovery lookup into a batch lookup of unrelated refs.
  if (value.length === 0 || value.length > 128 || value.includes(",")) {
    throw invalidInput(operation, { externalId: "must be 1 to 128 characters without commas" });
  }
}

export function checkRef(operation: string, ref: string): void {
  if (ref.length === 0 || ref.includes(",")) {
    throw invalidInput(operation, { tradeId: "must be a non-empty trade id or externalId without commas" });
  }
}

export function checkPrices(
  operation: string,
  items: readonly { priceCents: Cents; maxPriceCents?: Cents }[],
): void {
  if (items.length === 0) throw invalidInput(operation, { items: "must hold at least one item" });
  items.forEach((item, i) => {
    if (!Number.isSafeInteger(item.priceCents) || item.priceCents <= 0) {
      throw invalidInput(operation, { [`items.${i}.price`]: "must be positive integer cents" });
    }
    if (
      item.maxPriceCents !== undefined &&
      (!Number.isSafeInteger(item.maxPriceCents) || item.maxPriceCents <= 0)
    ) {
      throw invalidInput(operation, { [`items.${i}.maxPrice`]: "must be positive integer cents" });
    }
  });
}

/** A basket-creating request (deposit, withdraw, sell, buy): its prices and externalId. */
export function checkTradeRequest(
  operation: string,
  req: { externalId?: string; items: readonly { priceCents: Cents; maxPriceCents?: Cents }[] },
): void {
  checkPrices(operation, req.items);
  checkExternalId(operation, req.externalId);
}

export function checkQuickWithdraw(req: QuickWithdrawRequest): void {
  checkPrices("quickWithdraw", [{ priceCents: req.maxPriceCents }]);
  checkExternalId("quickWithdraw", req.externalId);
  if (req.itemId === undefined && req.marketHashName === undefined) {
    throw invalidInput("quickWithdraw", { itemId: "itemId or marketHashName is required" });
  }
  if (req.externalIds !== undefined && req.externalIds.length !== req.amount) {
    throw invalidInput("quickWithdraw", { externalIds: "must hold exactly `amount` entries" });
  }
}
