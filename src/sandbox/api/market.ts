/** Market browsing: /client/market, /client/market/item, /client/market/suggestions, /secure/prices. */
import { type Cents, dollarsToCents } from "../../base/money.ts";
import { type CatalogEntry, CS2, RUST } from "../catalog.ts";
import { ApiError } from "../errors.ts";
import type { Listing } from "../market.ts";
import type { RouteRequest } from "../router.ts";
import {
  MarketItemQuery,
  MarketQuery,
  PricesQuery,
  queryObject,
  SuggestionsQuery,
  validate,
} from "../validation.ts";
import { listingJson, usd } from "../wire.ts";
import { type ApiDeps, gameOf } from "./deps.ts";

function page<T>(items: T[], pageNo: number | undefined, perPage: number | undefined): T[] {
  const size = perPage ?? 50;
  if (size === -1) return items;
  const p = pageNo ?? 1;
  return items.slice((p - 1) * size, p * size);
}

export function marketRoute({ ctx }: ApiDeps) {
  return (req: RouteRequest) => {
    const q = validate(MarketQuery, queryObject(req.query));
    const game = gameOf(q.game);
    let rows: Listing[];
    if (game === RUST) {
      rows = ctx.market.available(RUST);
    } else {
      // CS2 answers a default slice: the cheapest listing of each catalog item.
      const cheapest = new Map<CatalogEntry, Listing>();
      for (const l of ctx.market.available(CS2)) {
        const best = cheapest.get(l.entry);
        if (!best || l.priceCents < best.priceCents) cheapest.set(l.entry, l);
      }
      rows = [...cheapest.values()];
    }
    if (q.search) {
      const needle = q.search.toLowerCase();
      rows = rows.filter((l) => l.entry.marketHashName.toLowerCase().includes(needle));
    }
    if (q.minPrice !== undefined) {
      const min = dollarsToCents(q.minPrice);
      rows = rows.filter((l) => l.priceCents >= min);
    }
    if (q.maxPrice !== undefined) {
      const max = dollarsToCents(q.maxPrice);
      rows = rows.filter((l) => l.priceCents <= max);
    }
    const byName = (a: Listing, b: Listing) => a.entry.marketHashName.localeCompare(b.entry.marketHashName);
    if (q.sort === "priceAsc") rows.sort((a, b) => a.priceCents - b.priceCents);
    else if (q.sort === "priceDesc") rows.sort((a, b) => b.priceCents - a.priceCents);
    else if (q.sort === "nameAsc") rows.sort(byName);
    else if (q.sort === "nameDesc") rows.sort((a, b) => byName(b, a));
    const count = rows.length;
    const items = page(rows, q.page, q.perPage).map((l) =>
      listingJson(l, { withCatalogId: game === CS2, development: q.development === true }),
    );
    return { items, count };
  };
}

export function marketItemRoute({ ctx }: ApiDeps) {
  return (req: RouteRequest) => {
    const q = validate(MarketItemQuery, queryObject(req.query));
    const entry =
      q.itemId !== undefined ? ctx.catalog.byId(q.itemId) : ctx.catalog.byName(q.marketHashName ?? "");
    if (!entry || entry.game !== CS2)
      throw new ApiError("NOT_FOUND", { message: "No such CS2 catalog item" });
    const delivery = q.delivery ?? "any";
    let rows = ctx.market
      .ofEntry(entry)
      .filter((l) => delivery === "any" || l.delivery === delivery)
      .filter((l) => q.phase === undefined || l.phase === q.phase)
      .filter((l) => q.floatMin === undefined || (l.float !== undefined && l.float >= q.floatMin))
      .filter((l) => q.floatMax === undefined || (l.float !== undefined && l.float <= q.floatMax));
    rows = rows.sort((a, b) => a.priceCents - b.priceCents);
    return page(rows, q.page, q.perPage ?? 50).map((l) => listingJson(l));
  };
}

export function suggestionsRoute({ ctx }: ApiDeps) {
  return (req: RouteRequest) => {
    const q = validate(SuggestionsQuery, queryObject(req.query));
    // Search-as-you-type: every word typed must appear ("ak redline" finds "AK-47 | Redline").
    const words = q.q.toLowerCase().split(/\s+/).filter(Boolean);
    return ctx.catalog
      .forGame(CS2)
      .filter((e) => {
        const name = e.marketHashName.toLowerCase();
        return words.every((w) => name.includes(w));
      })
      .slice(0, 20)
      .map((e) => {
        const row: {
          id: string;
          marketHashName: string;
          iconUrl: string;
          rarity?: string;
          rarityColor?: string;
          itemType?: string;
        } = { id: e.catalogId, marketHashName: e.marketHashName, iconUrl: e.iconUrl, itemType: e.type };
        if (e.rarity !== undefined) row.rarity = e.rarity;
        if (e.color !== undefined) row.rarityColor = e.color;
        return row;
      });
  };
}

export function pricesRoute({ ctx }: ApiDeps) {
  return (req: RouteRequest) => {
    const q = validate(PricesQuery, queryObject(req.query));
    const game = gameOf(q.game);
    const orNull = (c: Cents | null) => (c === null ? null : usd(c));
    if (game === RUST) {
      return ctx.catalog.forGame(RUST).map((e) => ({
        marketHashName: e.marketHashName,
        accepted: ctx.catalog.accepted(e),
        deposit: usd(ctx.catalog.depositCents(e)),
        withdraw: orNull(ctx.market.floor(e, "standard")),
      }));
    }
    return ctx.catalog.forGame(CS2).map((e) => {
      const standard = ctx.market.floor(e, "standard");
      const instant = ctx.market.floor(e, "instant");
      const row: Record<string, unknown> = {
        itemId: standard === null && instant === null ? null : e.catalogId,
        marketHashName: e.marketHashName,
        accepted: ctx.catalog.accepted(e),
        deposit: usd(ctx.catalog.depositCents(e)),
        withdraw: { standard: orNull(standard), instant: orNull(instant) },
      };
      if (e.phases) {
        row.phases = e.phases.map((p) => ({
          phase: p.phase,
          accepted: ctx.catalog.accepted(e, p.phase),
          deposit: usd(p.depositCents),
          withdraw: {
            standard: orNull(ctx.market.floor(e, "standard", p.phase)),
            instant: orNull(ctx.market.floor(e, "instant", p.phase)),
          },
        }));
      }
      return row;
    });
  };
}
