/**
 * The message catalogues, imported rather than read from disk so they travel with the code
 * (tsx, a build, a test) and so their English shape types every message key at compile time.
 * Adding a language: write `locales/<lng>.json` (any subset of English's keys; the rest fall back
 * to English) and add one import line here.
 */
import en from "../../locales/en.json" with { type: "json" };
import type { Locale } from "./locales.ts";

/** English defines the keys; every other catalogue is a subset of it. */
export type Catalogue = typeof en;

export const CATALOGUES: Partial<Record<Locale, object>> = { en };

type PluralSuffix = "zero" | "one" | "two" | "few" | "many" | "other";
type WithoutPlural<K extends string> = K extends `${infer Base}_${PluralSuffix}` ? Base : K;
type Keys<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${WithoutPlural<K>}`
    : Keys<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every key `t` accepts: a dotted path to an English message, plural suffixes (`_one`, `_other`) removed. */
export type MessageKey = Keys<Catalogue>;
