/**
 * The one place a refusal becomes words: a core refusal (`errors.core.*`) or an AssetPay error
 * key (`errors.assetpay.*`, with a fallback for keys we have never seen) in the member's
 * language. Money parameters arrive in cents and are formatted here, per locale.
 */
import { AssetPayError } from "../../assetpay/errors.ts";
import { CoreError } from "../../core/errors.ts";
import type { I18n, Locale } from "../i18n.ts";
import { message, type View } from "../view.ts";

const MONEY_PARAMS = new Set(["needed", "available", "balance", "amount"]);

export function errorText(i18n: I18n, locale: Locale, err: unknown): string {
  if (err instanceof CoreError) {
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(err.params)) {
      params[k] = MONEY_PARAMS.has(k) && typeof v === "number" ? i18n.money(locale, v) : v;
    }
    const key =
      err.key === "tradeUrlState"
        ? `errors.core.tradeUrlState.${err.params.state}`
        : `errors.core.${err.key}`;
    if (i18n.has(key)) return i18n.t(locale, key, params);
    return i18n.t(locale, "errors.core.internal");
  }
  if (err instanceof AssetPayError) {
    const key = `errors.assetpay.${err.key}`;
    const params: Record<string, string | number> = { seconds: err.retryAfter ?? 30 };
    if (i18n.has(key)) return i18n.t(locale, key, params);
    return i18n.t(locale, "errors.assetpay.unknown", params);
  }
  return i18n.t(locale, "errors.core.internal");
}

export function errorView(i18n: I18n, locale: Locale, err: unknown): View {
  const tone = err instanceof CoreError || err instanceof AssetPayError ? "warning" : "danger";
  return message(tone, errorText(i18n, locale, err), { ephemeral: true });
}
