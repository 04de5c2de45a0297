/**
 * Withdrawals: POST /client/trading/withdraw, /client/trading/withdraw/quick, and the merchant's
 * /secure/buy and /secure/buy/quick. The trade is created `initiated` and the approval callback
 * leaves at once, so it may reach the merchant before this response does, as in production.
 *
 * Price rule (the contract's, not the docs page's "must equal"): a lower current listing price
 * is accepted and charged; a higher one is PRICE_CHANGED unless within maxPrice, or, for items
 * without maxPrice, within slippageBps.
 */
import { type Cents, centsToDollars, dollarsToCents } from "../../base/money.ts";
import { CS2, RUST } from "../catalog.ts";
import type { SandboxContext } from "../context.ts";
import { ApiError, retryAfterHeaders, validationError } from "../errors.ts";
import { externalIdMagic, itemExternalIdOutcome, profileForTradeUrl, SLOW_CREATE_MS } from "../magic.ts";
import { isWellFormedListingId } from "../market.ts";
import type { RouteRequest } from "../router.ts";
import {
  type CreationLock,
  recordRefusedTrade,
  type TradeBase,
  type TradeParty,
  tradeBase,
  whileCreating,
} from "../trade-factory.ts";
import type { ItemOutcome, QuickBuy, TradeItem, TradeRecord } from "../trades.ts";
import {
  BuyBody,
  QuickBuyBody,
  QuickWithdrawBody,
  repeatedItemFields,
  validate,
  WithdrawBody,
} from "../validation.ts";
import { tradeJson } from "../wire.ts";
import { type ApiDeps, clientParty, gameOf, selfParty } from "./deps.ts";

const MAX_WITHDRAW_ITEMS = 50;
const AUTO_CANCEL_DEFAULT = 30;
const AUTO_CANCEL_OFF = 720;

type Magic = ReturnType<typeof externalIdMagic>;

interface Common {
  game?: string | undefined;
  externalId?: string | undefined;
  autoCancel?: number | undefined;
}

/** Refusals every withdrawal shares, before any item is looked at. */
function precheck(ctx: SandboxContext, body: Common, count: number): Magic {
  const magic = externalIdMagic(body.externalId);
  if (magic.error && !magic.error.consumesExternalId) {
    throw new ApiError(magic.error.key, retryAfterHeaders(magic.error.retryAfter));
  }
  if (count === 0) throw new ApiError("MISSING_ITEMS");
  if (count > MAX_WITHDRAW_ITEMS) {
    throw new ApiError("TOO_MANY_ITEMS", {
      message: `A withdrawal holds at most ${MAX_WITHDRAW_ITEMS} items`,
    });
  }
  if (ctx.sender.url() === undefined) throw new ApiError("MERCHANT_NO_CALLBACK_URL");
  return magic;
}

/** Creates and starts the trade once its items are settled; holds the per-user lock meanwhile. */
function open(
  deps: ApiDeps,
  who: TradeParty,
  body: Common,
  magic: Magic,
  buildItems: () => { items: TradeItem[]; quick?: QuickBuy },
) {
  const { ctx } = deps;
  const lock: CreationLock = { key: `withdraw:${who.steamId}`, busy: "WITHDRAW_IN_PROGRESS" };
  return whileCreating(ctx, lock, body.externalId, async () => {
    const { items, quick } = buildItems();
    const totalCents = items.reduce((sum, i) => sum + i.priceCents * i.amount, 0);
    if (totalCents > ctx.wallet.balanceCents) throw new ApiError("MERCHANT_BALANCE_LOW");
    const tradeId = ctx.rng.uuid();
    for (const item of items) if (item.listing) ctx.market.reserve(item.listing, tradeId);
    try {
      await ctx.sleep(magic.slowCreate ? SLOW_CREATE_MS : ctx.config.createLatencyMs);
    } catch (err) {
      for (const item of items) if (item.listing) ctx.market.release(item.listing);
      throw err;
    }
    const base = tradeBase(ctx, "withdraw", who, {
      game: gameOf(body.game),
      items,
      totalCents,
      ...(body.externalId !== undefined ? { externalId: body.externalId } : {}),
    });
    if (magic.error) throw recordRefusedTrade(ctx, base, magic.error.key, magic.error.retryAfter);
    const trade = recordWithdrawal(ctx, { ...base, id: tradeId }, body, quick);
    deps.lifecycle.startWithdraw(trade);
    return tradeJson(trade);
  });
}

/** Stores the trade, `initiated`, with its auto-cancel time (CS2 only). */
function recordWithdrawal(
  ctx: SandboxContext,
  base: TradeBase & { id: string },
  body: Common,
  quick: QuickBuy | undefined,
): TradeRecord {
  const now = ctx.clock.nowMs();
  const autoCancel = body.autoCancel ?? AUTO_CANCEL_DEFAULT;
  const trade = ctx.trades.add({
    ...base,
    status: "initiated",
    createdAt: now,
    updatedAt: now,
    ...(base.game === CS2 && autoCancel !== AUTO_CANCEL_OFF
      ? { autoCancelAt: now + autoCancel * 60_000 }
      : {}),
    ...(quick ? { quick } : {}),
  });
  for (const item of trade.items) item.createdAt = now;
  return trade;
}

/** Which way each item will go: per-item magic, else trade-level magic, else the trade URL's. */
function outcomes(
  tradeUrl: string,
  magic: Magic,
  itemExternalId: string | undefined,
): Pick<TradeItem, "outcome" | "failWith"> {
  const own = itemExternalIdOutcome(itemExternalId);
  if (own !== undefined)
    return own === "fail" ? { outcome: own, failWith: "LISTING_UNAVAILABLE" } : { outcome: own };
  const shared: ItemOutcome | undefined = magic.itemOutcome ?? profileForTradeUrl(tradeUrl).itemOutcome;
  if (shared === undefined) return {};
  return shared === "fail" ? { outcome: shared, failWith: "PURCHASE_FAILED" } : { outcome: shared };
}

interface ListingInput {
  items: { itemId: string; price: number; maxPrice?: number | undefined; externalId?: string | undefined }[];
  slippageBps?: number | undefined;
}

function listingItems(ctx: SandboxContext, who: TradeParty, body: ListingInput & Common, magic: Magic) {
  const game = gameOf(body.game);
  const fields = repeatedItemFields(body.items, [
    ["itemId", "is listed twice"],
    ["externalId", "is used twice"],
  ]);
  if (Object.keys(fields).length) throw validationError(fields);

  const malformed: { itemId: string }[] = [];
  const missing: { itemId: string }[] = [];
  const taken: { itemId: string }[] = [];
  const changed: { itemId: string; price: number }[] = [];
  const items: TradeItem[] = [];
  for (const wanted of body.items) {
    if (!isWellFormedListingId(game, wanted.itemId)) {
      malformed.push({ itemId: wanted.itemId });
      continue;
    }
    const listing = ctx.market.get(wanted.itemId);
    if (!listing || listing.game !== game || listing.state === "sold") {
      missing.push({ itemId: wanted.itemId });
      continue;
    }
    if (listing.state !== "available") {
      taken.push({ itemId: wanted.itemId });
      continue;
    }
    const quoted = dollarsToCents(wanted.price);
    const ceiling: Cents =
      wanted.maxPrice !== undefined
        ? Math.max(quoted, dollarsToCents(wanted.maxPrice))
        : Math.floor((quoted * (10_000 + (body.slippageBps ?? 0))) / 10_000);
    const current = listing.priceCents;
    // Compare in USD first so a quote with stray decimals never passes through rounding.
    if (centsToDollars(current) > wanted.price && current > ceiling) {
      changed.push({ itemId: wanted.itemId, price: centsToDollars(current) });
      continue;
    }
    const item: TradeItem = {
      id: listing.id,
      appid: listing.entry.appid,
      tradable: true,
      amount: 1,
      priceCents: current,
      delivery: listing.delivery,
      traits: listing,
      revealed: false,
      status: "initiated",
      createdAt: 0,
      listing,
      internal: listing.delivery === "instant",
      ...outcomes(who.tradeUrl, magic, wanted.externalId),
    };
    if (listing.botInfo) item.botInfo = listing.botInfo;
    if (wanted.externalId !== undefined) item.externalId = wanted.externalId;
    items.push(item);
  }
  if (malformed.length) throw new ApiError("INVALID_LISTING_ID", { details: { items: malformed } });
  if (missing.length) throw new ApiError("LISTING_NOT_FOUND", { details: { items: missing } });
  if (taken.length) throw new ApiError("ITEMS_UNAVAILABLE", { details: { items: taken } });
  if (changed.length) throw new ApiError("PRICE_CHANGED", { details: { items: changed } });
  return { items };
}

interface QuickInput extends Common {
  itemId?: string | undefined;
  marketHashName?: string | undefined;
  maxPrice: number;
  amount: number;
  delivery?: "standard" | "instant" | undefined;
  phase?: string | undefined;
  externalIds?: string[] | undefined;
}

function quickItems(ctx: SandboxContext, who: TradeParty, body: QuickInput, magic: Magic) {
  const game = gameOf(body.game);
  if (game === RUST) throw new ApiError("QUICK_BUY_UNSUPPORTED_GAME");
  const entry =
    body.itemId !== undefined ? ctx.catalog.byId(body.itemId) : ctx.catalog.byName(body.marketHashName ?? "");
  if (!entry || entry.game !== CS2) throw new ApiError("LISTING_NOT_FOUND");
  if (body.phase !== undefined && !entry.phases)
    throw validationError({ phase: "this item has no Doppler phases" });
  const maxCents = dollarsToCents(body.maxPrice);
  const delivery = body.delivery ?? "standard";
  const items: TradeItem[] = [];
  for (let i = 0; i < body.amount; i++) {
    const externalId = body.externalIds?.[i];
    const row: TradeItem = {
      id: ctx.rng.uuid(),
      appid: 730,
      tradable: true,
      amount: 1,
      priceCents: maxCents,
      delivery,
      revealed: false,
      status: "initiated",
      createdAt: 0,
      ...outcomes(who.tradeUrl, magic, externalId),
    };
    if (externalId !== undefined) row.externalId = externalId;
    items.push(row);
  }
  const quick: QuickBuy = { catalogId: entry.catalogId, delivery, maxCents };
  if (body.phase !== undefined) quick.phase = body.phase;
  return { items, quick };
}

export function withdrawRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const who = clientParty(deps.ctx, req);
    const body = validate(WithdrawBody, req.body ?? {});
    const magic = precheck(deps.ctx, body, body.items.length);
    return open(deps, who, body, magic, () => listingItems(deps.ctx, who, body, magic));
  };
}

export function quickWithdrawRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const who = clientParty(deps.ctx, req);
    const body = validate(QuickWithdrawBody, req.body ?? {});
    const magic = precheck(deps.ctx, body, body.amount);
    return open(deps, who, body, magic, () => quickItems(deps.ctx, who, body, magic));
  };
}

export function buyRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const body = validate(BuyBody, req.body ?? {});
    const who = selfParty(body.tradeUrl);
    const magic = precheck(deps.ctx, body, body.items.length);
    return open(deps, who, body, magic, () => listingItems(deps.ctx, who, body, magic));
  };
}

export function quickBuyRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const body = validate(QuickBuyBody, req.body ?? {});
    const who = selfParty(body.tradeUrl);
    const magic = precheck(deps.ctx, body, body.amount);
    return open(deps, who, body, magic, () => quickItems(deps.ctx, who, body, magic));
  };
}
