/**
 * POST /client/trading/deposit and POST /secure/sell. Checks run in the order the real API
 * would meet them: body, basket size, Steam-side user state, the per-client guard, the per-user
 * creation lock, externalId, the items themselves, prices; then the offer is "created" (a short
 * real-time latency during which a second deposit for the same user gets DEPOSIT_IN_PROGRESS).
 */
import type { ClientData } from "../../assetpay/token.ts";
import { type Cents, centsToDollars } from "../../base/money.ts";
import { availableCollateral, splitCredit } from "../collateral.ts";
import type { SandboxContext } from "../context.ts";
import { ApiError, validationError } from "../errors.ts";
import { externalIdMagic, profileForTradeUrl, SLOW_CREATE_MS, steamIdFromTradeUrl } from "../magic.ts";
import type { RouteRequest } from "../router.ts";
import { recordRefusedTrade, tradeBase } from "../trade-factory.ts";
import { isInFlight, type TradeItem } from "../trades.ts";
import { DepositBody, SellBody, validate } from "../validation.ts";
import { tradeJson } from "../wire.ts";
import { type ApiDeps, clientIdOf, collateralLimits, gameOf, requireClient } from "./deps.ts";

const MAX_DEPOSIT_ITEMS = 250;
const MAX_ACTIVE_DEPOSITS = 5;
const MAX_DEPOSITS_PER_WINDOW = 10;
const WINDOW_MS = 5 * 60 * 1000;

interface Depositor {
  source: "client" | "self";
  steamId: string;
  tradeUrl: string;
  clientId?: string;
  clientData?: ClientData;
}

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

async function createDeposit(deps: ApiDeps, who: Depositor, body: DepositInput) {
  const { ctx, lifecycle } = deps;
  const magic = externalIdMagic(body.externalId);
  const game = gameOf(body.game);
  if (magic.error && !magic.error.consumesExternalId) {
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
      ...(magic.error.retryAfter !== undefined
        ? { headers: { "retry-after": String(magic.error.retryAfter) } }
        : {}),
    });
  }
  if (body.items.length === 0) throw new ApiError("MISSING_ITEMS");
  if (body.items.length > MAX_DEPOSIT_ITEMS) {
    throw new ApiError("TOO_MANY_ITEMS", { message: `A deposit holds at most ${MAX_DEPOSIT_ITEMS} items` });
  }
  const seen = new Set<string>();
  const dupes: Record<string, string> = {};
  body.items.forEach((item, i) => {
    if (seen.has(item.itemId)) dupes[`items.${i}.itemId`] = "is listed twice";
    seen.add(item.itemId);
  });
  if (Object.keys(dupes).length) throw validationError(dupes);

  const profile = profileForTradeUrl(who.tradeUrl);
  if (profile.inventoryError !== undefined) throw new ApiError(profile.inventoryError);
  const refusal = profile.depositRefusal?.(game);
  if (refusal !== undefined) throw new ApiError(refusal);

  const lock = `deposit:${who.steamId}`;
  if (ctx.locks.has(lock)) throw new ApiError("DEPOSIT_IN_PROGRESS", { headers: { "retry-after": "1" } });
  if (who.source === "client") guard(ctx, who.steamId);
  ctx.locks.add(lock);
  let claimedExternalId: string | undefined;
  try {
    if (body.externalId !== undefined && !ctx.trades.claimExternalId(body.externalId)) {
      throw new ApiError("EXTERNAL_ID_EXISTS");
    }
    claimedExternalId = body.externalId;
    const unavailable: { itemId: string; reason: string }[] = [];
    const short: { itemId: string; requested: number; available: number }[] = [];
    const changed: { itemId: string; price: number }[] = [];
    const items: TradeItem[] = [];
    const now = ctx.clock.nowMs();
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

    await ctx.sleep(magic.slowCreate ? SLOW_CREATE_MS : ctx.config.createLatencyMs);

    const totalCents = items.reduce((sum, i) => sum + i.priceCents * i.amount, 0);
    const base = tradeBase(ctx, "deposit", who, {
      game,
      items,
      totalCents,
      ...(body.externalId !== undefined ? { externalId: body.externalId } : {}),
    });
    if (magic.error) throw recordRefusedTrade(ctx, base, magic.error.key, magic.error.retryAfter);

    const isInstant = body.isInstant ?? ctx.config.isInstantDefault;
    const limits = collateralLimits(ctx, who.steamId, who.clientData);
    const split = splitCredit({
      totalCents,
      game,
      isInstant,
      source: who.source,
      available: availableCollateral(limits, who.steamId, ctx.trades.all()),
    });
    const trade = ctx.trades.add({
      ...base,
      id: ctx.rng.uuid(),
      status: "initiated",
      preCreditCents: split.preCreditCents,
      pendingCreditCents: split.pendingCreditCents,
      isInstant,
      collateral: split.collateral,
      createdAt: now,
      updatedAt: now,
      ...((magic.depositOutcome ?? profile.depositOutcome)
        ? { outcome: magic.depositOutcome ?? profile.depositOutcome }
        : {}),
    });
    if (who.source === "client")
      ctx.depositTimes.set(who.steamId, [...(ctx.depositTimes.get(who.steamId) ?? []), now]);
    lifecycle.startDeposit(trade);
    return tradeJson(trade);
  } finally {
    ctx.locks.delete(lock);
    if (claimedExternalId !== undefined) ctx.trades.releaseExternalId(claimedExternalId);
  }
}

export function depositRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const caller = requireClient(req);
    const body = validate(DepositBody, req.body ?? {});
    const client = caller.claims.client;
    const clientId = clientIdOf(deps.ctx, caller);
    return createDeposit(
      deps,
      {
        source: "client",
        steamId: caller.steamId,
        tradeUrl: caller.tradeUrl,
        ...(clientId !== undefined ? { clientId } : {}),
        ...(client.clientData !== undefined ? { clientData: client.clientData } : {}),
      },
      body,
    );
  };
}

export function sellRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const body = validate(SellBody, req.body ?? {});
    const steamId = steamIdFromTradeUrl(body.tradeUrl);
    if (steamId === undefined) throw new ApiError("INVALID_TRADEURL");
    return createDeposit(deps, { source: "self", steamId, tradeUrl: body.tradeUrl }, body);
  };
}
