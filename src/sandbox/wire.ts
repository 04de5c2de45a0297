/**
 * Records → the contract's JSON (`Item`, `Trade`). The only place cents become USD numbers, via
 * centsToDollars, so no price on the wire ever has more than two decimals. Optional fields are
 * omitted rather than sent as null, as the contract's examples do.
 */
import { type Cents, centsToDollars } from "../base/money.ts";
import type { InventoryItem, SkinTraits } from "./inventory.ts";
import type { BotInfo, Listing } from "./market.ts";
import type { TradeItem, TradeRecord } from "./trades.ts";

export interface ItemJson {
  id: string;
  itemId?: string;
  externalId?: string;
  assetId?: string;
  appid: number;
  name?: string;
  marketHashName?: string;
  type?: string;
  iconUrl?: string;
  tradable: boolean;
  amount?: number;
  status?: string;
  error?: string;
  marketPrice?: number;
  offer?: { price: number; delivery?: "standard" | "instant"; maxAmount?: number; accepted?: boolean };
  exterior?: string;
  rarity?: string;
  color?: string;
  wear?: string;
  paintSeed?: number;
  previewToken?: string;
  doppler?: { status?: number; name: string; paintIndex?: number };
  fade?: { percentage: number };
  stickers?: { name: string; marketHashName?: string; slot: number; wear?: number; iconUrl: string }[];
  botInfo?: BotInfo;
}

export interface TradeJson {
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
  status: string;
  game: string;
  items: ItemJson[];
  totalPrice: number;
  preCredit?: number;
  pendingCredit?: number;
  isInstant?: boolean;
  collateral?: { merchant: number; provider: number };
  holdEndDate?: string;
  revertedBy?: "supplier" | "user";
  botInfo?: BotInfo;
  error?: string;
  activeAt?: string;
  autoCancelAt?: string;
  createdAt: string;
  updatedAt: string;
}

export const usd = (cents: Cents): number => centsToDollars(cents);
const iso = (ms: number): string => new Date(ms).toISOString();

/** Steam-side descriptive fields of a skin. */
export function traitsJson(traits: SkinTraits, marketCents?: Cents): Partial<ItemJson> {
  const e = traits.entry;
  const out: Partial<ItemJson> = {
    name: e.name,
    marketHashName: e.marketHashName,
    type: e.type,
    iconUrl: e.iconUrl,
  };
  const reference =
    marketCents ?? e.phases?.find((p) => p.phase === traits.phase)?.marketCents ?? e.marketCents;
  out.marketPrice = usd(reference);
  if (e.exterior !== undefined) out.exterior = e.exterior;
  if (e.rarity !== undefined) out.rarity = e.rarity;
  if (e.color !== undefined) out.color = e.color;
  if (traits.float !== undefined) out.wear = traits.float.toFixed(10);
  if (traits.paintSeed !== undefined) out.paintSeed = traits.paintSeed;
  if (traits.phase !== undefined) {
    const doppler: NonNullable<ItemJson["doppler"]> = { name: traits.phase };
    if (traits.paintIndex !== undefined) doppler.paintIndex = traits.paintIndex;
    out.doppler = doppler;
  }
  if (traits.fadePercentage !== undefined) out.fade = { percentage: traits.fadePercentage };
  if (traits.stickers?.length) out.stickers = traits.stickers.map((s) => ({ ...s }));
  return out;
}

export function inventoryItemJson(item: InventoryItem, offerCents: Cents, accepted: boolean): ItemJson {
  return {
    id: item.id,
    assetId: item.assetId,
    appid: item.entry.appid,
    ...traitsJson(item),
    tradable: item.tradable,
    amount: item.amount,
    offer: { price: usd(offerCents), accepted, maxAmount: item.amount },
  };
}

export function listingJson(
  listing: Listing,
  opts: { withCatalogId?: boolean; development?: boolean } = {},
): ItemJson {
  const json: ItemJson = {
    id: listing.id,
    appid: listing.entry.appid,
    ...traitsJson(listing),
    tradable: true,
    amount: 1,
    offer: { price: usd(listing.priceCents), delivery: listing.delivery },
  };
  if (opts.withCatalogId) json.itemId = listing.entry.catalogId;
  if (listing.botInfo) json.botInfo = { ...listing.botInfo };
  if (listing.game === "730") json.previewToken = previewToken(listing.id);
  if (opts.development) {
    json.offer = { price: usd(listing.priceCents), delivery: "instant" };
    json.previewToken = "sandbox-preview-token";
    json.botInfo = listing.botInfo ? { ...listing.botInfo } : { name: "AssetPay Sandbox Bot" };
  }
  return json;
}

function previewToken(id: string): string {
  return Buffer.from(id).toString("base64url").slice(0, 16);
}

function tradeItemJson(trade: TradeRecord, item: TradeItem): ItemJson {
  const json: ItemJson = { id: item.id, appid: item.appid, tradable: item.tradable, amount: item.amount };
  if (item.externalId !== undefined) json.externalId = item.externalId;
  if (trade.type === "deposit") {
    if (item.traits) Object.assign(json, traitsJson(item.traits, item.marketCents));
    if (item.assetId !== undefined) json.assetId = item.assetId;
    json.offer = { price: usd(item.priceCents) };
    return json;
  }
  if (item.revealed && item.traits) Object.assign(json, traitsJson(item.traits, item.marketCents));
  if (item.assetId !== undefined) json.assetId = item.assetId;
  if (item.status !== undefined) json.status = item.status;
  if (item.error !== undefined) json.error = item.error;
  json.offer = { price: usd(item.priceCents) };
  if (item.delivery !== undefined) json.offer.delivery = item.delivery;
  if (item.revealed && item.botInfo) json.botInfo = { ...item.botInfo };
  return json;
}

export function tradeJson(trade: TradeRecord): TradeJson {
  const json: TradeJson = {
    id: trade.id,
    type: trade.type,
    source: trade.source,
    merchantId: trade.merchantId,
    clientUserId: trade.clientUserId,
    clientTradeUrl: trade.clientTradeUrl,
    clientSteamID: trade.clientSteamID,
    status: trade.status,
    game: trade.game,
    items: trade.items.map((item) => tradeItemJson(trade, item)),
    totalPrice: usd(trade.totalCents),
    createdAt: iso(trade.createdAt),
    updatedAt: iso(trade.updatedAt),
  };
  if (trade.externalId !== undefined) json.externalId = trade.externalId;
  if (trade.externalClientUserId !== undefined) json.externalClientUserId = trade.externalClientUserId;
  if (trade.offerID !== undefined) json.offerID = trade.offerID;
  if (trade.preCreditCents !== undefined) json.preCredit = usd(trade.preCreditCents);
  if (trade.pendingCreditCents !== undefined) json.pendingCredit = usd(trade.pendingCreditCents);
  if (trade.isInstant !== undefined) json.isInstant = trade.isInstant;
  if (trade.collateral !== undefined) {
    json.collateral = {
      merchant: usd(trade.collateral.merchantCents),
      provider: usd(trade.collateral.providerCents),
    };
  }
  if (trade.holdEndDate !== undefined) json.holdEndDate = iso(trade.holdEndDate);
  if (trade.revertedBy !== undefined) json.revertedBy = trade.revertedBy;
  if (trade.botInfo !== undefined) json.botInfo = { ...trade.botInfo };
  if (trade.error !== undefined) json.error = trade.error;
  if (trade.activeAt !== undefined) json.activeAt = iso(trade.activeAt);
  if (trade.autoCancelAt !== undefined) json.autoCancelAt = iso(trade.autoCancelAt);
  return json;
}
