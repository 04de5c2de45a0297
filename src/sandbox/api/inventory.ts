/** GET /client/inventory and GET /secure/inventory. */
import type { ClientData } from "../../assetpay/token.ts";
import { dollarsToCents } from "../../base/money.ts";
import { availableCollateral } from "../collateral.ts";
import { ApiError } from "../errors.ts";
import type { InventoryItem } from "../inventory.ts";
import { profileForTradeUrl, steamIdFromTradeUrl } from "../magic.ts";
import type { RouteRequest } from "../router.ts";
import { InventoryQuery, queryObject, SecureInventoryQuery, validate } from "../validation.ts";
import { inventoryItemJson, usd } from "../wire.ts";
import { type ApiDeps, collateralLimits, gameOf, requireClient } from "./deps.ts";

interface InventoryOptions {
  refresh?: boolean | undefined;
  acceptedOnly?: boolean | undefined;
  game?: number | undefined;
  search?: string | undefined;
  sort?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  page?: number | undefined;
  limit?: number | undefined;
}

function inventoryData(
  { ctx }: ApiDeps,
  steamId: string,
  tradeUrl: string,
  q: InventoryOptions,
  collateral: number,
) {
  const profile = profileForTradeUrl(tradeUrl);
  if (profile.inventoryError !== undefined) throw new ApiError(profile.inventoryError);
  const game = gameOf(q.game);
  const inv = ctx.inventories;
  const price = (item: InventoryItem) => inv.offerCents(item);
  let items = inv.list(steamId, game);
  if (q.acceptedOnly) items = items.filter((i) => inv.accepted(i));
  if (q.search) {
    const needle = q.search.toLowerCase();
    items = items.filter((i) => i.entry.marketHashName.toLowerCase().includes(needle));
  }
  if (q.minPrice !== undefined) {
    const min = dollarsToCents(q.minPrice);
    items = items.filter((i) => price(i) >= min);
  }
  if (q.maxPrice !== undefined) {
    const max = dollarsToCents(q.maxPrice);
    items = items.filter((i) => price(i) <= max);
  }
  const byName = (a: InventoryItem, b: InventoryItem) =>
    a.entry.marketHashName.localeCompare(b.entry.marketHashName);
  if (q.sort === "priceAsc") items = [...items].sort((a, b) => price(a) - price(b));
  else if (q.sort === "priceDesc") items = [...items].sort((a, b) => price(b) - price(a));
  else if (q.sort === "nameAsc") items = [...items].sort(byName);
  else if (q.sort === "nameDesc") items = [...items].sort((a, b) => byName(b, a));
  const count = items.length;
  const limit = q.limit ?? 50;
  if (limit !== -1) {
    const page = q.page ?? 1;
    items = items.slice((page - 1) * limit, page * limit);
  }
  const updatedAt = inv.touch(steamId, game, ctx.clock.nowMs(), q.refresh === true);
  return {
    inventory: items.map((i) => inventoryItemJson(i, price(i), inv.accepted(i))),
    count,
    updatedAt: new Date(updatedAt).toISOString(),
    collateral,
  };
}

export function clientInventoryRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const caller = requireClient(req);
    const q = validate(InventoryQuery, queryObject(req.query));
    const clientData: ClientData | undefined = caller.claims.client.clientData;
    const limits = collateralLimits(deps.ctx, caller.steamId, clientData);
    const free = availableCollateral(limits, caller.steamId, deps.ctx.trades.all());
    return inventoryData(
      deps,
      caller.steamId,
      caller.tradeUrl,
      q,
      usd(free.providerCents + free.merchantCents),
    );
  };
}

export function secureInventoryRoute(deps: ApiDeps) {
  return (req: RouteRequest) => {
    const q = validate(SecureInventoryQuery, queryObject(req.query));
    const steamId = steamIdFromTradeUrl(q.tradeUrl);
    if (steamId === undefined) throw new ApiError("INVALID_TRADEURL");
    // Self-trades are fully trusted: no collateral involved.
    return inventoryData(deps, steamId, q.tradeUrl, q, 0);
  };
}
