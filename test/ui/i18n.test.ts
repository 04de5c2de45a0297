import { describe, expect, it } from "vitest";
import {
  createI18n,
  type MessageKey,
  MissingTranslationError,
  SUPPORTED_LOCALES,
  type TranslationProblem,
} from "../../src/ui/i18n.ts";
import { resolveLocale } from "../../src/ui/locales.ts";

const NBSP = "\u00a0";

describe("resolveLocale", () => {
  const i18n = createI18n({ defaultLocale: "en" });

  it("maps Discord locales to the nearest supported one", () => {
    expect(i18n.resolveLocale("pt-BR")).toBe("pt-BR");
    expect(i18n.resolveLocale("en-US")).toBe("en");
    expect(i18n.resolveLocale("en-GB")).toBe("en");
    expect(i18n.resolveLocale("es-ES")).toBe("es");
    expect(i18n.resolveLocale("es-419")).toBe("es");
    expect(i18n.resolveLocale("uk")).toBe("uk");
    expect(i18n.resolveLocale("de")).toBe("de");
  });

  it("maps Telegram language codes, whatever their case", () => {
    expect(i18n.resolveLocale("pt-br")).toBe("pt-BR");
    expect(i18n.resolveLocale("pt")).toBe("pt-BR");
    expect(i18n.resolveLocale("ru")).toBe("ru");
    expect(i18n.resolveLocale("en")).toBe("en");
    expect(i18n.resolveLocale("TR")).toBe("tr");
  });

  it("falls back to the default locale for anything unsupported or absent", () => {
    expect(i18n.resolveLocale("fr")).toBe("en");
    expect(i18n.resolveLocale("zh-CN")).toBe("en");
    expect(i18n.resolveLocale("")).toBe("en");
    expect(i18n.resolveLocale(undefined)).toBe("en");
    expect(resolveLocale("ja", "de")).toBe("de");
  });

  it("offers all eight supported locales", () => {
    expect(i18n.locales).toEqual(["en", "ru", "pt-BR", "de", "es", "tr", "pl", "uk"]);
    expect(SUPPORTED_LOCALES).toHaveLength(8);
  });
});

describe("money and dates", () => {
  const i18n = createI18n({ defaultLocale: "en" });

  it("formats integer cents as US dollars in each locale's style", () => {
    expect(i18n.money("en", 123456)).toBe("$1,234.56");
    expect(i18n.money("de", 123456)).toBe(`1.234,56${NBSP}$`);
    expect(i18n.money("pt-BR", 123456)).toBe(`US$${NBSP}1.234,56`);
    expect(i18n.money("en", 5)).toBe("$0.05");
    expect(i18n.money("en", -1075)).toBe("-$10.75");
  });

  it("shows a sign on adjustments when asked", () => {
    expect(i18n.money("en", 500, { signed: true })).toBe("+$5.00");
    expect(i18n.money("en", -500, { signed: true })).toBe("-$5.00");
  });

  it("refuses amounts that are not integer cents", () => {
    expect(() => i18n.money("en", 10.5)).toThrow(RangeError);
  });

  it("formats timestamps per locale in UTC, naming the zone", () => {
    expect(i18n.date("en", "2026-01-05T14:30:00Z")).toBe("Jan 5, 2026, 2:30 PM UTC");
    expect(i18n.date("de", "2026-01-05T14:30:00Z")).toBe("5. Jan. 2026, 14:30 UTC");
  });

  it("returns an unreadable timestamp as it came", () => {
    expect(i18n.date("en", "soon")).toBe("soon");
  });
});

describe("t", () => {
  it("fills placeholders", () => {
    const i18n = createI18n({ defaultLocale: "en" });
    expect(i18n.t("en", "errors.assetpay.RATE_LIMITED", { seconds: 30 })).toBe(
      "AssetPay is busy right now. Try again in 30 seconds.",
    );
    expect(i18n.t("en", "picker.page", { page: 2, pages: 5 })).toBe("Page 2 of 5");
  });

  it("picks the plural form from count, with a zero form", () => {
    const i18n = createI18n({ defaultLocale: "en" });
    expect(i18n.t("en", "picker.selected", { count: 0 })).toBe("No items selected");
    expect(i18n.t("en", "picker.selected", { count: 1 })).toBe("1 item selected");
    expect(i18n.t("en", "picker.selected", { count: 7 })).toBe("7 items selected");
  });

  it("answers in the member's language, and in the default one for a language it doesn't speak", () => {
    const i18n = createI18n({ defaultLocale: "en" });
    expect(i18n.t("ru", "balance.title")).toBe("Ваш баланс");
    expect(i18n.t(i18n.resolveLocale("xx-YY"), "balance.title")).toBe("Your balance");
  });

  it("leaves member-supplied values exactly as given: no HTML escaping, no nested expansion", () => {
    const i18n = createI18n({ defaultLocale: "en" });
    expect(i18n.t("en", "withdraw.noResults", { query: "<b>M4A1-S & {{count}} $t(common.yes)</b>" })).toBe(
      "Nothing matched “<b>M4A1-S & {{count}} $t(common.yes)</b>”. Check the spelling or try a shorter name.",
    );
  });

  it("throws on a missing key by default, so tests catch it", () => {
    const i18n = createI18n({ defaultLocale: "en" });
    expect(() => i18n.t("en", "errors.core.noSuchThing" as MessageKey)).toThrow(MissingTranslationError);
    expect(() => i18n.t("en", "errors.core.noSuchThing" as MessageKey)).toThrow(
      'no message "errors.core.noSuchThing"',
    );
  });

  it("throws on a placeholder left without a value", () => {
    const i18n = createI18n({ defaultLocale: "en" });
    expect(() => i18n.t("en", "notify.depositCredited", { amount: "$1.00" })).toThrow(
      'no value for {{balance}} in "notify.depositCredited" (en)',
    );
  });

  it("throws when a key names a group of messages rather than one", () => {
    const i18n = createI18n({ defaultLocale: "en" });
    expect(() => i18n.t("en", "picker.title" as MessageKey)).toThrow(MissingTranslationError);
  });

  it("with onMissing, reports each distinct problem once and still answers the member", () => {
    const seen: TranslationProblem[] = [];
    const i18n = createI18n({ defaultLocale: "en", onMissing: (p) => seen.push(p) });
    expect(i18n.t("pl", "errors.core.noSuchThing" as MessageKey)).toBe("errors.core.noSuchThing");
    expect(i18n.t("en", "errors.assetpay.RATE_LIMITED")).toBe(
      "AssetPay is busy right now. Try again in … seconds.",
    );
    expect(seen).toEqual([
      { kind: "missingKey", locale: "pl", key: "errors.core.noSuchThing" },
      { kind: "missingValue", locale: "en", key: "errors.assetpay.RATE_LIMITED", placeholder: "seconds" },
    ]);
    i18n.t("pl", "errors.core.noSuchThing" as MessageKey);
    expect(i18n.problems()).toEqual(seen);
  });

  it("keeps instances independent", () => {
    const strict = createI18n({ defaultLocale: "en" });
    const lenient = createI18n({ defaultLocale: "uk", onMissing: () => {} });
    lenient.t("uk", "nope" as MessageKey);
    expect(strict.problems()).toEqual([]);
    expect(strict.defaultLocale).toBe("en");
    expect(lenient.defaultLocale).toBe("uk");
  });
});

describe("has", () => {
  const i18n = createI18n({ defaultLocale: "en" });

  it("knows single and plural messages, not groups or strangers", () => {
    expect(i18n.has("errors.assetpay.PRICE_CHANGED")).toBe(true);
    expect(i18n.has("picker.selected")).toBe(true);
    expect(i18n.has("picker.title")).toBe(false);
    expect(i18n.has("errors.assetpay.SOMETHING_NEW")).toBe(false);
  });
});
