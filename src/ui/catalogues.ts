/**
 * The message catalogues, imported rather than read from disk so they travel with the code
 * (tsx, a build, a test) and so their English shape types every message key at compile time.
 * Adding a language: add it to SUPPORTED_LOCALES, write `locales/<lng>.json` with every English key
 * (its own plural forms, the same placeholders) and add one import line here.
 */
import de from "../../locales/de.json" with { type: "json" };
import en from "../../locales/en.json" with { type: "json" };
import es from "../../locales/es.json" with { type: "json" };
import pl from "../../locales/pl.json" with { type: "json" };
import ptBR from "../../locales/pt-BR.json" with { type: "json" };
import ru from "../../locales/ru.json" with { type: "json" };
import tr from "../../locales/tr.json" with { type: "json" };
import uk from "../../locales/uk.json" with { type: "json" };
import type { Locale } from "./locales.ts";

/** English defines the keys; every other catalogue has the same ones, in its own plural forms. */
export type Catalogue = typeof en;

/**
 * Every supported locale has its own catalogue, so a member never meets English halfway through a
 * conversation; test/ui/locales.test.ts holds each one to English's keys and placeholders.
 */
export const CATALOGUES: Record<Locale, object> = { en, ru, "pt-BR": ptBR, de, es, tr, pl, uk };

type PluralSuffix = "zero" | "one" | "two" | "few" | "many" | "other";
type WithoutPlural<K extends string> = K extends `${infer Base}_${PluralSuffix}` ? Base : K;
type Keys<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${WithoutPlural<K>}`
    : Keys<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every key `t` accepts: a dotted path to an English message, plural suffixes (`_one`, `_other`) removed. */
export type MessageKey = Keys<Catalogue>;
