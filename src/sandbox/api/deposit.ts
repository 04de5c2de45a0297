/**
 * POST /client/trading/deposit and POST /secure/sell. Checks run in the order the real API
 * would meet them: body, basket size, Steam-side user state, the per-client guard, the per-user
 * creation lock, externalId, the items themselves, prices; then the offer is "created" (a short
 * real-time latency during which a second deposit for the same user gets DEPOSIT_IN_PROGRESS).
 */
import { type Cents, centsToDollars } from "../../base/money.ts";
import type { Game } from "../catalog.ts";
import { availableCollateral, splitCredit } from "../collateral.ts";
import type { SandboxContext } from "../context.ts";
import { ApiError, retryAfterHeaders, validationError } from "../errors.ts";
import { externalIdMagic, profileForTradeUrl, SLOW_CREATE_MS, type TradeUrlProfile } from "../magic.ts";
import type { RouteRequest } from "../router.ts";
import {
  type CreationLock,
  recordRefusedTrade,
  type TradeBase,
  type TradeParty,
  tradeBase,
  whileCreating,
} from "../trade-factory.ts";
import { type DepositOutcome, isInFlight, type TradeItem, type TradeRecord } from "../trades.ts";
import { DepositBody, repeatedItemFields, SellBody, validate } from "../validation.ts";
import { tradeJson } from "../wire.ts";
import { type ApiDeps, clientParty, collateralLimits, gameOf, selfParty } from "./deps.ts";

const MAX_DEPOSIT_ITEMS = 250;
const MAX_ACTIVE_DEPOSITS = 5;
const MAX_DEPOSITS_PER_WINDOW = 10;
const WINDOW_MS = 5 * 60 * 1000;

interface DepositInput {
  items: { itemId: string; price: number; amount?: number | undefined }[];
  game?: string | undefined;
  externalId?: string | undefined;
  isInstant?: boolean | undefined;
}

/** The per-client guard: 5 deposits awaiting acceptance, 10 per rolling 5 minutes (virtual time). */
function guard(ctx: SandboxContext, steamId: string): void {
  const awaiting = ctx.trades
    .all()
    .filter(
      (t) =>
        t.type === "deposit" &&
        t.source === "client" &&
        t.clientSteamID === steamId &&
        (t.status === "initiated" || t.status === "pending" || t.status === "active"),
    ).length;
  if (awaiting >= MAX_ACTIVE_DEPOSITS) throw new ApiError("TOO_MANY_ACTIVE_TRADES");
  const now = ctx.clock.nowMs();
  const recent = (ctx.depositTimes.get(steamId) ?? []).filter((t) => now - t < WINDOW_MS);
  ctx.depositTimes.set(steamId, recent);
  if (recent.length >= MAX_DEPOSITS_PER_WINDOW) {
    const retry = Math.max(1, Math.ceil(((recent[0] ?? now) + WINDOW_MS - now) / 1000));
    throw new ApiError("RATE_LIMITED", {
      message: "Too many deposits for this user in 5 minutes",
      headers: { "retry-after": String(retry) },
    });
  }
}

/** How much of an inventory item is already promised to an in-flight deposit. */
function amountInFlight(ctx: SandboxContext, steamId: string, itemId: string): number {
  let amount = 0;
  for (const t of ctx.trades.all()) {
    if (t.type !== "deposit" || t.clientSteamID !== steamId || !isInFlight(t.status) || t.itemsTaken)
      continue;
    for (const i of t.items) if (i.id === itemId) amount += i.amount;
  }
  return amount;
}

type Magic = ReturnType<typeof externalIdMagic>;

/** A refusal an externalId asks for before anything is recorded. */
function refuseByMagic(ctx: SandboxContext, who: TradeParty, body: DepositInput, magic: Magic): void {
  if (!magic.error || magic.error.consumesExternalId) return;
  const details =
    magic.error.key === "ITEM_OVERSTOCKED"
      ? {
          items: body.items.map((i) => ({
            itemId: i.itemId,
            marketHashName: ctx.inventories.find(who.steamId, i.itemId)?.entry.marketHashName ?? "",
            remaining: 0,
          })),
        }
      : undefined;
  throw new ApiError(magic.error.key, {
    ...(details ? { details } : {}),
    ...retryAfterHeaders(magic.error.retryAfter),
  });
}

function checkBasket(body: DepositInput): void {
  if (body.items.length === 0) throw new ApiError("MISSING_ITEMS");
  if (body.items.length > MAX_DEPOSIT_ITEMS) {
    throw new ApiError("TOO_MANY_ITEMS", { message: `A deposit holds at most ${MAX_DEPOSIT_ITEMS} items` });
  }
  const dupes = repeatedItemFields(body.items, [["itemId", "is listed twice"]]);
  if (Object.keys(dupes).length) throw validationError(dupes);
}

/** The Steam-side state of the user (magic trade URL tokens) that refuses any deposit. */
function checkProfile(profile: TradeUrlProfile, game: Game): void {
  if (profile.inventoryError !== undefined) throw new ApiError(profile.inventoryError);
  const refusal = profile.depositRefusal?.(game);
  if (refusal !== undefined) throw new ApiError(refusal);
}

/** The basket as trade items; refuses unavailable items, short amounts and stale prices. */
function depositItems(
  ctx: SandboxContext,
  who: TradeParty,
  body: DepositInput,
  game: Game,
  now: number,
): TradeItem[] {
  const unavailable: { itemId: string; reason: string }[] = [];
  const short: { itemId: string; requested: number; available: number }[] = [];
  const changed: { itemId: string; price: number }[] = [];
  const items: TradeItem[] = [];
  for (const wanted of body.items) {
    const inv = ctx.inventories.find(who.steamId, wanted.itemId);
    if (!inv || inv.game !== game) {
      unavailable.push({ itemId: wanted.itemId, reason: "not_in_inventory" });
      continue;
    }
    const amount = wanted.amount ?? 1;
    const free = inv.amount - amountInFlight(ctx, who.steamId, inv.id);
    if (!inv.tradable) unavailable.push({ itemId: wanted.itemId, reason: "not_tradable" });
    else if (!ctx.inventories.accepted(inv))
      unavailable.push({ itemId: wanted.itemId, reason: "not_accepted" });
    else if (free <= 0) unavailable.push({ itemId: wanted.itemId, reason: "in_deposit" });
    else if (amount > free) short.push({ itemId: wanted.itemId, requested: amount, available: free });
    const offer: Cents = ctx.inventories.offerCents(inv);
    // Exact equality of the USD numbers: a quote must repeat the current offer to the cent.
    if (centsToDollars(offer) !== wanted.price)
      changed.push({ itemId: wanted.itemId, price: centsToDollars(offer) });
    items.push({
      id: inv.id,
      appid: inv.entry.appid,
      tradable: inv.tradable,
      amount,
      priceCents: offer,
      traits: inv,
      revealed: true,
      assetId: inv.assetId,
      createdAt: now,
      source: inv,
    });
  }
  if (unavailable.length) throw new ApiError("ITEMS_UNAVAILABLE", { details: { items: unavailable } });
  if (short.length) throw new ApiError("INSUFFICIENT_ITEM_AMOUNT", { details: { items: short } });
  if (changed.length) throw new ApiError("PRICE_CHANGED", { details: { items: changed } });
  return items;
}

/** Stores the trade, `initiated`, with its share of the credit paid before the hold ends. */
function recordDeposit(
  ctx: SandboxContext,
  base: TradeBase,
  who: TradeParty,
  body: DepositInput,
  extra: { now: number; outcome: DepositOutcome | undefined },
): TradeRecord {
  const { now, outcome } = extra;
  const isInstant = body.isInstant ?? ctx.config.isInstantDefault;
  const limits = collateralLimits(ctx, who.steamId, who.clientData);
  const split = splitCredit({
    totalCents: base.totalCents,
    game: base.game,
    isInstant,
    source: who.source,
    available: availableCollateral(limits, who.steamId, ctx.trades.all()),
  });
  const { preCreditCents, pendingCreditCents, collateral } = split;
  return ctx.trades.add({
    ...base,
    id: ctx.rng.uuid(),
    status: "initiated",
    preCreditCents,
    pendingCreditCents,
    isInstant,
    collateral,
    createdAt: now,
    updatedAt: now,
    ...(outcome ? { outcome } : {}),
  });
}

async function createDeposit(deps: ApiDeps, who: TradeParty, body: DepositInput) {
  const { ctx, lifecycle } = deps;
  const magic = externalIdMagic(body.externalId);
  const game = gameOf(body.game);
  refuseByMagic(ctx, who, body, magic);
  checkBasket(body);
  const profile = profileForTradeUrl(who.tradeUrl);
  checkProfile(profile, game);
  const lock: CreationLock = {
    key: `deposit:${who.steamId}`,
    busy: "DEPOSIT_IN_PROGRESS",
    ...(who.source === "client" ? { check: () => guard(ctx, who.steamId) } : {}),
  };
  return whileCreating(ctx, lock, body.externalId, async () => {
    const now = ctx.clock.nowMs();
    const items = depositItems(ctx, who, body, game, now);
    await ctx.sleep(magic.slowCreate ? SLOW_CREATE_MS : ctx.config.createLatencyMs);
    const totalCents = items.reduce((sum, i) => sum + i.priceCents * i.amount, 0);
    const base = tradeBase(ctx, "deposit", who, {
      game,
      items,
      totalCents,
      ...(body.externalId !== undefined ? { externalId: body.externalId } : {}),
    });
    if (magic.error) throw recordRefusedTrade(ctx, base, magic.error.key, magic.error.retryAfter);
    const outcome = magic.depositOutcome ?? profile.depositOutcome;
    const trade = recordDeposit(ctx, base, who, body, { now, outcome });
    if (who.source === "client") {
      ctx.depositTimes.set(who.steamId, [...(ctx.depositTimes.get(who.steamId) ?? []), now]);
    }
    lifecycle.startDeposit(trade);
    return tradeJson(trade);
  });
}

export function depositRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const who = clientParty(deps.ctx, req);
    return createDeposit(deps, who, validate(DepositBody, req.body ?? {}));
  };
}

export function sellRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const body = validate(SellBody, req.body ?? {});
    return createDeposit(deps, selfParty(body.tradeUrl), body);
  };
}
