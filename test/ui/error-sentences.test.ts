/**
 * Every AssetPay error key and every trade or item outcome reads as its own sentence in every
 * language: two keys sharing one text would tell a member (and the moderator they ask) less than
 * AssetPay told us.
 */
import { describe, expect, it } from "vitest";
import { CLIENT_ERROR_KEYS, ERROR_KEYS } from "../../src/assetpay/error-codes.ts";
import { TRADE_ERRORS } from "../../src/assetpay/schemas.ts";
import { createI18n, type MessageKey } from "../../src/ui/i18n.ts";
import { SUPPORTED_LOCALES } from "../../src/ui/locales.ts";

const i18n = createI18n({ defaultLocale: "en" });

function duplicates(keys: string[], locale: (typeof SUPPORTED_LOCALES)[number]): string[][] {
  const byText = new Map<string, string[]>();
  for (const key of keys) {
    const text = i18n.t(locale, key as MessageKey, { seconds: 30 });
    byText.set(text, [...(byText.get(text) ?? []), key]);
  }
  return [...byText.values()].filter((same) => same.length > 1);
}

describe.each(SUPPORTED_LOCALES)("in %s", (locale) => {
  it("gives each AssetPay error key its own sentence", () => {
    const keys = [...new Set([...ERROR_KEYS, ...CLIENT_ERROR_KEYS])]
      .map((k) => `errors.assetpay.${k}`)
      .filter((k) => i18n.has(k));
    expect(keys.length).toBeGreaterThan(40);
    expect(duplicates(keys, locale)).toEqual([]);
  });

  it("gives each trade and item outcome its own sentence", () => {
    const keys = [
      ...TRADE_ERRORS.map((k) => `notify.reason.${k}`),
      "notify.reason.unknown",
      "notify.outcome.notSentInTime",
      "notify.outcome.canceled",
      "notify.outcome.declined",
      "notify.outcome.failed",
    ];
    expect(duplicates(keys, locale)).toEqual([]);
  });
});
