/**
 * The catalog: one entry per market hash name (each CS2 exterior and StatTrak variant is its own
 * entry, as on Steam), with a hex catalog id, a reference price and the deposit offer price
 * AssetPay pays. Deposit prices are mutable so a test can make a quote stale.
 */
import { applyBps, type Cents, dollarsToCents } from "../base/money.ts";
import {
  CS2_SEEDS,
  DOPPLER_PHASE_INFO,
  EXTERIOR_FACTOR,
  type Exterior,
  RARITY_COLORS,
  RUST_SEEDS,
} from "./catalog-data.ts";
import { createRng, seedFrom } from "./prng.ts";

export const CS2 = "730";
export const RUST = "252490";
export type Game = typeof CS2 | typeof RUST;

/** AssetPay pays this share of the reference price for a deposit. */
const DEPOSIT_SHARE_BPS = -2000;
/** Items whose deposit offer falls below this are not accepted. */
const MIN_ACCEPTED_CENTS = 20;

export interface PhasePrice {
  phase: string;
  paintIndex: number;
  marketCents: Cents;
  depositCents: Cents;
}

export interface CatalogEntry {
  catalogId: string;
  game: Game;
  appid: number;
  marketHashName: string;
  /** Steam's display name: the market hash name without the exterior. */
  name: string;
  type: string;
  rarity?: string;
  color?: string;
  exterior?: Exterior;
  iconUrl: string;
  marketCents: Cents;
  depositCents: Cents;
  phases?: PhasePrice[];
  fade?: boolean;
  stackable?: boolean;
  /** Graffiti and similar are never accepted, whatever their price. */
  neverAccepted?: boolean;
}

export interface Catalog {
  readonly entries: readonly CatalogEntry[];
  byId(catalogId: string): CatalogEntry | undefined;
  byName(marketHashName: string): CatalogEntry | undefined;
  forGame(game: Game): CatalogEntry[];
  depositCents(entry: CatalogEntry, phase?: string): Cents;
  accepted(entry: CatalogEntry, phase?: string): boolean;
  setDepositCents(entry: CatalogEntry, cents: Cents, phase?: string): void;
  /** Moves every deposit price by `bps` basis points. */
  driftDeposits(bps: number): void;
}

const ICON_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A Steam economy image hash look-alike: the part after `.../economy/image/`. */
export function iconHashFor(name: string): string {
  return `-9a81dlWLwJ2UUGcVs_nsVtzdOEdtWwKGZZLQHTxDZ7I56KU0Zwwo4NUX4oFJZEHLbXH5ApeO4YmlhxYQknCRvCo04DEVlxkKgpot${createRng(seedFrom("icon", name)).chars(72, ICON_ALPHABET)}`;
}

export function catalogIdFor(marketHashName: string): string {
  return createRng(seedFrom("catalog", marketHashName)).hex(16);
}

function cents(usd: number): Cents {
  return dollarsToCents(Math.round(usd * 100) / 100);
}

function buildEntries(): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const seed of CS2_SEEDS) {
    const base = seed.skin === undefined ? seed.weapon : `${seed.weapon} | ${seed.skin}`;
    const variants: { prefix: string; factor: number }[] = [{ prefix: seed.star ? "★ " : "", factor: 1 }];
    if (seed.stattrak) variants.push({ prefix: "StatTrak™ ", factor: 1.65 });
    for (const variant of variants) {
      const name = `${variant.prefix}${base}`;
      const exteriors: (Exterior | undefined)[] = seed.exteriors ? [...seed.exteriors] : [undefined];
      for (const exterior of exteriors) {
        const marketHashName = exterior ? `${name} (${exterior})` : name;
        const marketCents = cents(seed.price * variant.factor * (exterior ? EXTERIOR_FACTOR[exterior] : 1));
        const entry: CatalogEntry = {
          catalogId: catalogIdFor(marketHashName),
          game: CS2,
          appid: 730,
          marketHashName,
          name,
          type: seed.type,
          rarity: seed.rarity,
          iconUrl: iconHashFor(marketHashName),
          marketCents,
          depositCents: applyBps(marketCents, DEPOSIT_SHARE_BPS),
        };
        const color = RARITY_COLORS[seed.rarity];
        if (color !== undefined) entry.color = color;
        if (exterior) entry.exterior = exterior;
        if (seed.type === "Graffiti") entry.neverAccepted = true;
        if (seed.fade) entry.fade = true;
        if (seed.doppler) {
          entry.phases = DOPPLER_PHASE_INFO.map((p) => {
            const phaseMarket = cents((marketCents / 100) * p.factor);
            return {
              phase: p.phase,
              paintIndex: p.paintIndex,
              marketCents: phaseMarket,
              depositCents: applyBps(phaseMarket, DEPOSIT_SHARE_BPS),
            };
          });
          // The top-level price of a Doppler entry is the floor across its phases.
          entry.depositCents = Math.min(...entry.phases.map((p) => p.depositCents));
          entry.marketCents = Math.min(...entry.phases.map((p) => p.marketCents));
        }
        out.push(entry);
      }
    }
  }
  for (const seed of RUST_SEEDS) {
    const marketCents = cents(seed.price);
    const entry: CatalogEntry = {
      catalogId: catalogIdFor(`rust:${seed.name}`),
      game: RUST,
      appid: 252490,
      marketHashName: seed.name,
      name: seed.name,
      type: seed.type,
      iconUrl: iconHashFor(`rust:${seed.name}`),
      marketCents,
      depositCents: applyBps(marketCents, DEPOSIT_SHARE_BPS),
    };
    if (seed.stackable) entry.stackable = true;
    out.push(entry);
  }
  return out;
}

export function createCatalog(): Catalog {
  const entries = buildEntries();
  const ids = new Map(entries.map((e) => [e.catalogId, e]));
  const names = new Map(entries.map((e) => [e.marketHashName, e]));
  const phaseOf = (entry: CatalogEntry, phase: string | undefined): PhasePrice | undefined =>
    phase === undefined ? undefined : entry.phases?.find((p) => p.phase === phase);
  const catalog: Catalog = {
    entries,
    byId: (id) => ids.get(id),
    byName: (name) => names.get(name),
    forGame: (game) => entries.filter((e) => e.game === game),
    depositCents: (entry, phase) => phaseOf(entry, phase)?.depositCents ?? entry.depositCents,
    accepted: (entry, phase) =>
      !entry.neverAccepted && catalog.depositCents(entry, phase) >= MIN_ACCEPTED_CENTS,
    setDepositCents(entry, value, phase) {
      const p = phaseOf(entry, phase);
      if (p) p.depositCents = value;
      else entry.depositCents = value;
      if (entry.phases && !p) {
        for (const ph of entry.phases) ph.depositCents = value;
      }
    },
    driftDeposits(bps) {
      for (const e of entries) {
        e.depositCents = Math.max(1, applyBps(e.depositCents, bps));
        for (const p of e.phases ?? []) p.depositCents = Math.max(1, applyBps(p.depositCents, bps));
      }
    },
  };
  return catalog;
}
