/**
 * The marketplace: listings a withdrawal buys. CS2 listings have UUIDv8 ids (stable for the
 * item's life, as the contract says), Rust listings compound ids. Standard listings come from
 * P2P sellers; instant ones from AssetPay's own pool and carry `botInfo`. A bought listing
 * leaves the market and a fresh one of the same item replaces it, so a demo never runs dry.
 */
import { applyBps, type Cents } from "../base/money.ts";
import { type Catalog, type CatalogEntry, CS2, type Game, RUST } from "./catalog.ts";
import { BOT_NAMES } from "./catalog-data.ts";
import { rollTraits, type SkinTraits } from "./inventory.ts";
import { createRng, type Rng } from "./prng.ts";

export interface BotInfo {
  name: string;
  avatar?: string;
  joined?: string;
  steamId?: string;
}

export type Delivery = "standard" | "instant";

export interface Listing extends SkinTraits {
  id: string;
  game: Game;
  assetId: string;
  priceCents: Cents;
  delivery: Delivery;
  botInfo?: BotInfo;
  state: "available" | "reserved" | "sold";
  reservedBy?: string;
}

export interface Market {
  available(game: Game): Listing[];
  ofEntry(entry: CatalogEntry): Listing[];
  get(id: string): Listing | undefined;
  reserve(listing: Listing, tradeId: string): void;
  release(listing: Listing): void;
  /** The listing was bought: it leaves the market for good and a replacement is listed. */
  sell(listing: Listing): void;
  setPrice(listing: Listing, cents: Cents): void;
  setEntryPrice(entry: CatalogEntry, cents: Cents): number;
  drift(bps: number): void;
  /** Cheapest available listing price, or null when nothing is listed. */
  floor(entry: CatalogEntry, delivery: Delivery, phase?: string): Cents | null;
  reset(seed: string): void;
}

export const CS2_LISTING_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const RUST_LISTING_ID = /^252490_\d{6,20}_[0-9a-f]{8}$/;

export function isWellFormedListingId(game: Game, id: string): boolean {
  return game === CS2 ? CS2_LISTING_ID.test(id) : RUST_LISTING_ID.test(id);
}

function bot(rng: Rng): BotInfo {
  return {
    name: rng.pick(BOT_NAMES),
    avatar: `https://avatars.steamstatic.com/${rng.hex(40)}_full.jpg`,
    joined: new Date(Date.UTC(2021, rng.int(0, 11), rng.int(1, 28))).toISOString(),
    steamId: `7656119${rng.digits(10)}`,
  };
}

function priceFor(rng: Rng, entry: CatalogEntry, phase: string | undefined, delivery: Delivery): Cents {
  const reference = entry.phases?.find((p) => p.phase === phase)?.marketCents ?? entry.marketCents;
  const spread = Math.round(-400 + rng.next() * 1800);
  const price = applyBps(reference, spread + (delivery === "instant" ? 600 : 0));
  return Math.max(3, price);
}

/** A fresh listing of `entry`: rolled traits, a price around the reference, a bot for instant ones. */
function newListing(rng: Rng, entry: CatalogEntry, delivery: Delivery): Listing {
  const traits = rollTraits(rng, entry);
  const assetId = rng.digits(11);
  const id = entry.game === CS2 ? rng.uuid(8) : `252490_${assetId}_${rng.hex(8)}`;
  const listing: Listing = {
    ...traits,
    id,
    game: entry.game,
    assetId,
    priceCents: priceFor(rng, entry, traits.phase, delivery),
    delivery,
    state: "available",
  };
  if (delivery === "instant") listing.botInfo = bot(rng);
  return listing;
}

/** How many listings of each kind an entry starts with: more Dopplers, fewer expensive items. */
function populate(catalog: Catalog, rng: Rng, list: (entry: CatalogEntry, delivery: Delivery) => void): void {
  for (const entry of catalog.entries) {
    if (entry.game === RUST) {
      const count = rng.int(1, 4);
      for (let i = 0; i < count; i++) list(entry, "standard");
      continue;
    }
    const expensive = entry.marketCents >= 100_000;
    const standard = entry.phases ? rng.int(6, 10) : expensive ? rng.int(1, 3) : rng.int(2, 6);
    for (let i = 0; i < standard; i++) list(entry, "standard");
    if (rng.chance(0.35)) {
      const instant = rng.int(1, 2);
      for (let i = 0; i < instant; i++) list(entry, "instant");
    }
  }
}

export function createMarket(catalog: Catalog, seed: string): Market {
  let rng = createRng(`market:${seed}`);
  let listings = new Map<string, Listing>();
  const list = (entry: CatalogEntry, delivery: Delivery): void => {
    const listing = newListing(rng, entry, delivery);
    listings.set(listing.id, listing);
  };
  populate(catalog, rng, list);

  const market: Market = {
    available: (game) => [...listings.values()].filter((l) => l.game === game && l.state === "available"),
    ofEntry: (entry) => [...listings.values()].filter((l) => l.entry === entry && l.state === "available"),
    get: (id) => listings.get(id),
    reserve(listing, tradeId) {
      listing.state = "reserved";
      listing.reservedBy = tradeId;
    },
    release(listing) {
      if (listing.state !== "reserved") return;
      listing.state = "available";
      delete listing.reservedBy;
    },
    sell(listing) {
      if (listing.state === "sold") return;
      listing.state = "sold";
      list(listing.entry, listing.delivery);
    },
    setPrice(listing, value) {
      listing.priceCents = value;
    },
    setEntryPrice(entry, value) {
      const affected = market.ofEntry(entry);
      for (const l of affected) l.priceCents = value;
      return affected.length;
    },
    drift(bps) {
      for (const l of listings.values()) l.priceCents = Math.max(1, applyBps(l.priceCents, bps));
    },
    floor(entry, delivery, phase) {
      const prices = market
        .ofEntry(entry)
        .filter((l) => l.delivery === delivery && (phase === undefined || l.phase === phase))
        .map((l) => l.priceCents);
      return prices.length ? Math.min(...prices) : null;
    },
    reset(newSeed) {
      rng = createRng(`market:${newSeed}`);
      listings = new Map();
      populate(catalog, rng, list);
    },
  };
  return market;
}
