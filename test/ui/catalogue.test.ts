import { describe, expect, it } from "vitest";
import en from "../../locales/en.json" with { type: "json" };
import { CLIENT_ERROR_KEYS, ERROR_KEYS } from "../../src/assetpay/error-codes.ts";
import { TRADE_ERRORS, TRADE_STATUSES } from "../../src/assetpay/schemas.ts";
import { createI18n, type MessageKey } from "../../src/ui/i18n.ts";

/** Every message in the catalogue as [dotted key, text]. */
function leaves(node: object, prefix = ""): [string, string][] {
  return Object.entries(node).flatMap(([k, v]): [string, string][] =>
    typeof v === "string" ? [[`${prefix}${k}`, v]] : leaves(v as object, `${prefix}${k}.`),
  );
}
const messages = leaves(en);
const PLURAL = /_(zero|one|two|few|many|other)$/;

describe("the English catalogue", () => {
  const i18n = createI18n({ defaultLocale: "en" });

  it("has a member-facing sentence for every AssetPay error key, the client's own keys and unknown ones", () => {
    const keys = [...ERROR_KEYS, ...CLIENT_ERROR_KEYS, "unknown"];
    const missing = keys.filter((k) => !i18n.has(`errors.assetpay.${k}`));
    expect(missing).toEqual([]);
    expect(keys.length).toBeGreaterThan(60);
  });

  it("explains every trade failure reason and names every trade status", () => {
    expect(TRADE_ERRORS.filter((r) => !i18n.has(`notify.reason.${r}`))).toEqual([]);
    expect(i18n.has("notify.reason.unknown")).toBe(true);
    expect(TRADE_STATUSES.filter((s) => !i18n.has(`trades.status.${s}`))).toEqual([]);
  });

  it("explains every check-tradeurl state", () => {
    for (let state = 1; state <= 10; state++)
      expect(i18n.has(`errors.core.tradeUrlState.${state}`)).toBe(true);
    expect(i18n.t("en", "errors.core.tradeUrlEscrow", { days: 15 })).toContain("15 days");
  });

  it("describes every command within Discord's 100-character limit", () => {
    const commands = [
      "link",
      "unlink",
      "join",
      "notify",
      "deposit",
      "withdraw",
      "balance",
      "trades",
      "inbox",
      "help",
      "admin",
      "language",
      "start",
    ];
    for (const name of commands) expect(i18n.has(`commands.${name}.description`)).toBe(true);
    const descriptions = messages.filter(([key]) => key.startsWith("commands."));
    for (const [key, text] of descriptions) expect(text.length, key).toBeLessThanOrEqual(100);
  });

  it("keeps picker button labels within Discord's 80-character limit", () => {
    for (const [key, text] of messages.filter(([k]) => k.startsWith("picker.buttons."))) {
      expect(text.length, key).toBeLessThanOrEqual(80);
    }
  });

  it("renders every message completely when given its own placeholders", () => {
    for (const [rawKey, text] of messages) {
      expect(text.trim(), rawKey).not.toBe("");
      const key = rawKey.replace(PLURAL, "") as MessageKey;
      const params: Record<string, string | number> = {};
      for (const [, name] of text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) params[name as string] = 3;
      if (PLURAL.test(rawKey)) params["count"] = 3;
      const out = i18n.t("en", key, params);
      expect(out, rawKey).not.toMatch(/\{\{|\}\}/);
    }
    expect(i18n.problems()).toEqual([]);
  });

  it("gives every plural message both its one and other forms", () => {
    const plurals = messages.map(([k]) => k).filter((k) => PLURAL.test(k));
    for (const key of plurals) {
      const base = key.replace(PLURAL, "");
      expect(plurals, base).toContain(`${base}_one`);
      expect(plurals, base).toContain(`${base}_other`);
    }
  });
});
