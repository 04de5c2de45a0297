/**
 * Seeded randomness. Everything the sandbox invents (inventories, listings, trade ids, fault
 * dice) comes from a PRNG seeded by a string, so a run is reproducible and an inventory is a pure
 * function of its SteamID.
 */
import { createHash } from "node:crypto";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A string of `length` decimal digits, never starting with 0. */
  digits(length: number): string;
  hex(length: number): string;
  /** An RFC 4122-shaped UUID with the given version nibble (4 for ids, 8 for CS2 listings). */
  uuid(version?: 4 | 8): string;
  /** Alphabet characters, e.g. for Steam icon hashes. */
  chars(length: number, alphabet: string): string;
}

/** Folds any number of strings into a 32-bit seed. */
export function seedFrom(...parts: string[]): number {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  return digest.readUInt32LE(0);
}

/** sfc32: small, fast, and good enough for test data; seeded through splitmix-style mixing. */
export function createRng(seed: number | string): Rng {
  let s = typeof seed === "string" ? seedFrom(seed) : seed >>> 0;
  const mix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();

  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number): string => {
    let out = "";
    for (let i = 0; i < length; i++) out += "0123456789abcdef"[int(0, 15)];
    return out;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("cannot pick from an empty list");
      return items[int(0, items.length - 1)] as T;
    },
    digits: (length) => {
      let out = String(int(1, 9));
      for (let i = 1; i < length; i++) out += String(int(0, 9));
      return out;
    },
    hex,
    uuid: (version = 4) => {
      const h = hex(32).split("");
      h[12] = String(version);
      h[16] = "89ab"[int(0, 3)] as string;
      const s2 = h.join("");
      return `${s2.slice(0, 8)}-${s2.slice(8, 12)}-${s2.slice(12, 16)}-${s2.slice(16, 20)}-${s2.slice(20)}`;
    },
    chars: (length, alphabet) => {
      let out = "";
      for (let i = 0; i < length; i++) out += alphabet[int(0, alphabet.length - 1)];
      return out;
    },
  };
}
