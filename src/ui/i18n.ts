/**
 * Localized text for members: one i18next instance per app (no global), catalogues from
 * `locales/`, money and dates through Intl. The core and adapters ask for text by key and never
 * concatenate translated fragments themselves.
 */
import i18next, { type i18n as I18nextInstance } from "i18next";
import { CATALOGUES, type MessageKey } from "./catalogues.ts";
import { type Locale, resolveLocale, SUPPORTED_LOCALES } from "./locales.ts";

export type { MessageKey } from "./catalogues.ts";
export type { Locale } from "./locales.ts";
export { SUPPORTED_LOCALES } from "./locales.ts";

/** Values for `{{placeholders}}`; `count` also picks the plural form. Format money and dates first. */
export type MessageParams = Record<string, string | number>;

export interface TranslationProblem {
  kind: "missingKey" | "missingValue" | "notAMessage";
  locale: Locale;
  key: string;
  /** The placeholder left without a value, for `missingValue`. */
  placeholder?: string;
}

export class MissingTranslationError extends Error {
  override readonly name = "MissingTranslationError";
  constructor(readonly problem: TranslationProblem) {
    super(
      problem.kind === "missingValue"
        ? `no value for {{${problem.placeholder}}} in "${problem.key}" (${problem.locale})`
        : `no message "${problem.key}" (${problem.locale})`,
    );
  }
}

export interface I18nOptions {
  defaultLocale: Locale;
  /**
   * Called, once per distinct problem, for a missing key or placeholder value; `t` then returns
   * its best effort (the key, or "…" for the value). Without it such a problem throws MissingTranslationError: that is what
   * tests want, and production passes a logger warning here so a member still gets an answer.
   */
  onMissing?: (problem: TranslationProblem) => void;
  /** Time zone for `date`; members are everywhere, so UTC and say so. */
  timeZone?: string;
}

export interface I18n {
  readonly defaultLocale: Locale;
  readonly locales: readonly Locale[];
  /** The message for `key` in `locale` (falling back to the default locale, then English). */
  t(locale: Locale, key: MessageKey, params?: MessageParams): string;
  /** Whether the catalogues hold `key` (plural keys count), for keys built at runtime (`errors.assetpay.${key}`). */
  has(key: string): key is MessageKey;
  /** Integer cents as US dollars in the locale's style: en `$1,234.56`, de `1.234,56 $`. */
  money(locale: Locale, cents: number, options?: { signed?: boolean }): string;
  /** An ISO timestamp in the locale's style, with its time zone named; an unreadable one is returned as is. */
  date(locale: Locale, isoString: string): string;
  /** A platform language code (Discord `pt-BR`, Telegram `pt-br`) to the nearest supported locale. */
  resolveLocale(platformCode: string | null | undefined): Locale;
  /** Every distinct problem met so far, whichever mode: end-to-end tests assert this stays empty. */
  problems(): readonly TranslationProblem[];
}

const MAX_RECORDED_PROBLEMS = 200;

export function createI18n(options: I18nOptions): I18n {
  const { defaultLocale, onMissing } = options;
  const timeZone = options.timeZone ?? "UTC";
  // Problems raised inside i18next during the current `t` call; `t` is synchronous, so one slot suffices.
  let pending: Omit<TranslationProblem, "locale" | "key">[] | undefined;
  const recorded = new Map<string, TranslationProblem>();

  const fallbackChain = [...new Set([defaultLocale, "en"])];
  const instance: I18nextInstance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(
      Object.entries(CATALOGUES).map(([lng, catalogue]) => [lng, { translation: catalogue }]),
    ),
    lng: defaultLocale,
    fallbackLng: fallbackChain,
    // Resources are in memory: finish init now so `t` works on return.
    initAsync: false,
    showSupportNotice: false,
    // Message texts contain ':' (URLs) and keys never name a namespace.
    nsSeparator: false,
    // An empty translation in a partial catalogue should fall back to English, not show nothing.
    returnEmptyString: false,
    returnNull: false,
    // Without a backend, saveMissing only routes misses to our handler.
    saveMissing: true,
    missingKeyHandler: () => pending?.push({ kind: "missingKey" }),
    missingInterpolationHandler: (_text: string, match: RegExpExecArray | string[]) => {
      pending?.push({ kind: "missingValue", placeholder: String(match[1] ?? "").trim() });
      return "…";
    },
    returnedObjectHandler: () => pending?.push({ kind: "notAMessage" }),
    interpolation: {
      // Each adapter escapes for its own markup (Discord markdown, Telegram HTML, a terminal);
      // HTML-escaping here would show `&amp;` in Discord and double-escape on Telegram.
      escapeValue: false,
      // Values come from members and AssetPay (item names, reasons): never expand `{{…}}` or `$t(…)` inside them.
      skipOnVariables: true,
    },
  });

  function report(locale: Locale, key: string, found: Omit<TranslationProblem, "locale" | "key">[]): void {
    for (const partial of found) {
      const problem: TranslationProblem = { ...partial, locale, key };
      const id = `${problem.kind}:${locale}:${key}:${problem.placeholder ?? ""}`;
      const isNew = !recorded.has(id);
      if (isNew && recorded.size < MAX_RECORDED_PROBLEMS) recorded.set(id, problem);
      if (!onMissing) throw new MissingTranslationError(problem);
      // Once per distinct problem: a missing text on a busy path must not flood the log.
      if (isNew) onMissing(problem);
    }
  }

  const numberFormats = new Map<string, Intl.NumberFormat>();
  function moneyFormat(locale: Locale, signed: boolean): Intl.NumberFormat {
    const id = `${locale}:${signed}`;
    let format = numberFormats.get(id);
    if (!format) {
      format = new Intl.NumberFormat(locale, {
        style: "currency",
        currency: "USD",
        signDisplay: signed ? "exceptZero" : "auto",
      });
      numberFormats.set(id, format);
    }
    return format;
  }

  const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
  function dateFormat(locale: Locale): Intl.DateTimeFormat {
    let format = dateFormats.get(locale);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "numeric",
        minute: "2-digit",
        timeZone,
        timeZoneName: "short",
      });
      dateFormats.set(locale, format);
    }
    return format;
  }

  return {
    defaultLocale,
    locales: SUPPORTED_LOCALES,
    t(locale, key, params) {
      const found: Omit<TranslationProblem, "locale" | "key">[] = [];
      pending = found;
      let text: unknown;
      try {
        text = instance.t(key, { ...params, lng: locale });
      } finally {
        pending = undefined;
      }
      report(locale, key, found);
      return typeof text === "string" ? text : key;
    },
    has(key): key is MessageKey {
      return fallbackChain.some((lng) =>
        [key, `${key}_other`].some((k) => typeof instance.getResource(lng, "translation", k) === "string"),
      );
    },
    money(locale, cents, opts) {
      if (!Number.isSafeInteger(cents)) throw new RangeError(`not integer cents: ${cents}`);
      return moneyFormat(locale, opts?.signed ?? false).format(cents / 100);
    },
    date(locale, isoString) {
      const at = new Date(isoString);
      return Number.isNaN(at.getTime()) ? isoString : dateFormat(locale).format(at);
    },
    resolveLocale(platformCode) {
      return resolveLocale(platformCode, defaultLocale);
    },
    problems() {
      return [...recorded.values()];
    },
  };
}
