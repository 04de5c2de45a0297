/**
 * Steam inventories. Each SteamID's starting inventory is a pure function of the SteamID (seeded
 * PRNG), so the same test user always owns the same skins. Completed deposits take items out,
 * reverted deposits put them back, completed withdrawals add the delivered skins.
 */
import type { Cents } from "../base/money.ts";
import { type Catalog, type CatalogEntry, CS2, type Game, iconHashFor, RUST } from "./catalog.ts";
import { DOPPLER_PHASE_INFO, EXTERIOR_FLOAT, STICKER_NAMES } from "./catalog-data.ts";
import { createRng, type Rng, seedFrom } from "./prng.ts";

export interface StickerInfo {
  name: string;
  marketHashName: string;
  slot: number;
  wear?: number;
  iconUrl: string;
}

/** The physical properties of one skin, shared by inventory items and market listings. */
export interface SkinTraits {
  entry: CatalogEntry;
  phase?: string;
  paintIndex?: number;
  /** Float value 0–1, for items with an exterior. */
  float?: number;
  paintSeed?: number;
  fadePercentage?: number;
  stickers?: StickerInfo[];
}

export interface InventoryItem extends SkinTraits {
  id: string;
  assetId: string;
  game: Game;
  tradable: boolean;
  /** Stack size (stackable Rust items), 1 otherwise. */
  amount: number;
}

export interface Inventories {
  /** The user's current items of one game (generated on first use). */
  list(steamId: string, game: Game): InventoryItem[];
  find(steamId: string, itemId: string): InventoryItem | undefined;
  /** Finds an item in any inventory generated so far. */
  locate(itemId: string): { steamId: string; item: InventoryItem } | undefined;
  /** Takes `amount` of the item out (deposit delivered). */
  take(steamId: string, itemId: string, amount: number): void;
  /** Puts an item back (deposit reverted) or in (withdrawal delivered). */
  give(steamId: string, item: InventoryItem): void;
  /** Creates a new inventory item for a delivered withdrawal. */
  mint(steamId: string, traits: SkinTraits, assetId: string): InventoryItem;
  offerCents(item: InventoryItem): Cents;
  accepted(item: InventoryItem): boolean;
  setItemPrice(itemId: string, cents: Cents): boolean;
  /** When Steam was last asked for this inventory (virtual ms); refreshes after 15 minutes. */
  touch(steamId: string, game: Game, nowMs: number, refresh: boolean): number;
  reset(): void;
}

const INVENTORY_CACHE_MS = 15 * 60 * 1000;

export function encodeItemId(appid: number, assetId: string): string {
  return Buffer.from(`${appid}_2_${assetId}`).toString("base64url");
}

/** Rolls the wear, pattern, phase and stickers of one skin of `entry`. */
export function rollTraits(rng: Rng, entry: CatalogEntry): SkinTraits {
  const traits: SkinTraits = { entry };
  if (entry.exterior) {
    const [lo, hi] = EXTERIOR_FLOAT[entry.exterior];
    traits.float = Math.round((lo + rng.next() * (hi - lo)) * 1e10) / 1e10;
    traits.paintSeed = rng.int(1, 1000);
  }
  if (entry.phases) {
    // Gem phases are rare; the four regular phases make up ~90 % of drops.
    const phaseInfo = rng.chance(0.1)
      ? rng.pick(DOPPLER_PHASE_INFO.slice(4))
      : rng.pick(DOPPLER_PHASE_INFO.slice(0, 4));
    traits.phase = phaseInfo.phase;
    traits.paintIndex = phaseInfo.paintIndex;
  }
  if (entry.fade) traits.fadePercentage = Math.round((80 + rng.next() * 20) * 10) / 10;
  const stickerable = entry.game === CS2 && entry.exterior !== undefined && !entry.name.startsWith("★");
  if (stickerable && rng.chance(0.2)) {
    const count = rng.int(1, 4);
    traits.stickers = [];
    for (let slot = 0; slot < count; slot++) {
      const name = rng.pick(STICKER_NAMES);
      const sticker: StickerInfo = {
        name: name.replace(/^Sticker \| /, ""),
        marketHashName: name,
        slot,
        iconUrl: iconHashFor(name),
      };
      if (rng.chance(0.4)) sticker.wear = Math.round(rng.next() * 100) / 100;
      traits.stickers.push(sticker);
    }
  }
  return traits;
}

/** Only the physical traits of a skin (a listing carries price and reservation state too). */
export function pickTraits(from: SkinTraits): SkinTraits {
  const { entry, phase, paintIndex, float, paintSeed, fadePercentage, stickers } = from;
  const out: SkinTraits = { entry };
  if (phase !== undefined) out.phase = phase;
  if (paintIndex !== undefined) out.paintIndex = paintIndex;
  if (float !== undefined) out.float = float;
  if (paintSeed !== undefined) out.paintSeed = paintSeed;
  if (fadePercentage !== undefined) out.fadePercentage = fadePercentage;
  if (stickers !== undefined) out.stickers = stickers.map((s) => ({ ...s }));
  return out;
}

/** Picks mostly cheap items, sometimes a mid-range one, rarely something expensive. */
function pickEntry(rng: Rng, pool: readonly CatalogEntry[]): CatalogEntry {
  const cheap = pool.filter((e) => e.marketCents < 2_000);
  const mid = pool.filter((e) => e.marketCents >= 2_000 && e.marketCents < 50_000);
  const rich = pool.filter((e) => e.marketCents >= 50_000);
  const roll = rng.next();
  const from =
    roll < 0.04 && rich.length ? rich : roll < 0.3 && mid.length ? mid : cheap.length ? cheap : pool;
  return rng.pick(from);
}

/** A SteamID's inventory as Steam would first show it: a pure function of the SteamID. */
function generateInventory(catalog: Catalog, steamId: string): InventoryItem[] {
  const rng = createRng(seedFrom("inventory", steamId));
  const items: InventoryItem[] = [];
  const usedAssets = new Set<string>();
  const add = (game: Game, entry: CatalogEntry, amount: number): void => {
    let assetId = rng.digits(11);
    while (usedAssets.has(assetId)) assetId = rng.digits(11);
    usedAssets.add(assetId);
    const traits = rollTraits(rng, entry);
    items.push({
      ...traits,
      id: encodeItemId(entry.appid, assetId),
      assetId,
      game,
      // A few items were just acquired and are still trade-locked by Steam.
      tradable: rng.chance(0.9),
      amount,
    });
  };
  const cs2 = catalog.forGame(CS2);
  const cs2Count = rng.int(14, 30);
  for (let i = 0; i < cs2Count; i++) add(CS2, pickEntry(rng, cs2), 1);
  const rust = catalog.forGame(RUST);
  const rustCount = rng.int(4, 10);
  for (let i = 0; i < rustCount; i++) {
    const entry = rng.pick(rust);
    add(RUST, entry, entry.stackable ? rng.int(2, 40) : 1);
  }
  return items;
}

export function createInventories(catalog: Catalog): Inventories {
  let owned = new Map<string, InventoryItem[]>();
  let index = new Map<string, string>();
  let priceOverrides = new Map<string, Cents>();
  let fetched = new Map<string, number>();

  const itemsOf = (steamId: string): InventoryItem[] => {
    let items = owned.get(steamId);
    if (!items) {
      items = generateInventory(catalog, steamId);
      owned.set(steamId, items);
      for (const item of items) index.set(item.id, steamId);
    }
    return items;
  };

  const inventories: Inventories = {
    list: (steamId, game) => itemsOf(steamId).filter((i) => i.game === game),
    find: (steamId, itemId) => itemsOf(steamId).find((i) => i.id === itemId),
    locate(itemId) {
      const steamId = index.get(itemId);
      if (steamId === undefined) return undefined;
      const item = owned.get(steamId)?.find((i) => i.id === itemId);
      return item ? { steamId, item } : undefined;
    },
    take(steamId, itemId, amount) {
      const items = itemsOf(steamId);
      const at = items.findIndex((i) => i.id === itemId);
      const item = items[at];
      if (!item) return;
      if (item.amount > amount) item.amount -= amount;
      else items.splice(at, 1);
    },
    give(steamId, item) {
      const items = itemsOf(steamId);
      const existing = items.find((i) => i.id === item.id);
      if (existing) existing.amount += item.amount;
      else items.push({ ...item });
      index.set(item.id, steamId);
    },
    mint(steamId, traits, assetId) {
      const item: InventoryItem = {
        ...pickTraits(traits),
        id: encodeItemId(traits.entry.appid, assetId),
        assetId,
        game: traits.entry.game,
        tradable: true,
        amount: 1,
      };
      inventories.give(steamId, item);
      return item;
    },
    offerCents: (item) => priceOverrides.get(item.id) ?? catalog.depositCents(item.entry, item.phase),
    accepted: (item) =>
      priceOverrides.has(item.id)
        ? !item.entry.neverAccepted && (priceOverrides.get(item.id) ?? 0) >= 20
        : catalog.accepted(item.entry, item.phase),
    setItemPrice(itemId, value) {
      if (!index.has(itemId)) return false;
      priceOverrides.set(itemId, value);
      return true;
    },
    touch(steamId, game, nowMs, refresh) {
      const key = `${steamId}:${game}`;
      const last = fetched.get(key);
      if (refresh || last === undefined || nowMs - last >= INVENTORY_CACHE_MS) {
        fetched.set(key, nowMs);
        return nowMs;
      }
      return last;
    },
    reset() {
      owned = new Map();
      index = new Map();
      priceOverrides = new Map();
      fetched = new Map();
    },
  };
  return inventories;
}
