/**
 * The languages skinbridge speaks, and how a platform's language code becomes one of them.
 * Kept apart from i18next so the config can validate DEFAULT_LOCALE without loading catalogues.
 */
export const SUPPORTED_LOCALES = ["en", "ru", "pt-BR", "de", "es", "tr", "pl", "uk"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** Each language's own name, for the language picker: a member must recognise it without reading English. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  ru: "Русский",
  "pt-BR": "Português (Brasil)",
  de: "Deutsch",
  es: "Español",
  tr: "Türkçe",
  pl: "Polski",
  uk: "Українська",
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** Exact, case-insensitive match of a supported locale (`pt-br` → `pt-BR`), else undefined. */
export function matchLocale(code: string): Locale | undefined {
  const wanted = code.trim().replace("_", "-").toLowerCase();
  return SUPPORTED_LOCALES.find((l) => l.toLowerCase() === wanted);
}

/**
 * Maps a platform language code to the nearest supported locale: Discord sends `en-US`, `pt-BR`,
 * `es-ES`, `es-419`, `uk`; Telegram sends IETF tags like `pt-br`, `ru`, `en`. A regional variant
 * falls back to its language (`en-GB` → `en`), a bare language to its one supported region
 * (`pt` → `pt-BR`), anything else to `fallback`.
 */
export function resolveLocale(code: string | null | undefined, fallback: Locale): Locale {
  if (!code) return fallback;
  const exact = matchLocale(code);
  if (exact) return exact;
  const language = code.trim().replace("_", "-").toLowerCase().split("-")[0] ?? "";
  if (language === "") return fallback;
  const bare = matchLocale(language);
  if (bare) return bare;
  return SUPPORTED_LOCALES.find((l) => l.toLowerCase().split("-")[0] === language) ?? fallback;
}
