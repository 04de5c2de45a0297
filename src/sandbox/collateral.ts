/**
 * Instant credit. A CS2 deposit with `isInstant` gets a pre-credit of 60 % of its total, bounded
 * by the user's available collateral (provider + merchant − the pre-credit of the user's other
 * in-flight deposits); the rest is `pendingCredit`, paid on completion. Rust deposits are credited
 * in full, self-trades are fully trusted. Everything in cents, so the two halves always add up.
 */
import type { ClientData } from "../assetpay/token.ts";
import type { Cents } from "../base/money.ts";
import { CS2, type Game } from "./catalog.ts";
import { isInFlight, type TradeRecord } from "./trades.ts";

export const INSTANT_SHARE_BPS = 6000;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The provider's collateral for a user, from the risk signals the merchant sends as clientData:
 * $25 base, +$50 per KYC level, +$50 each for fiat and crypto deposits, +$150 for the full set
 * (fiat, crypto, KYC 3), +1 % of total wager up to $500, +$25 for an account older than a year.
 */
export function providerCollateralCents(clientData: ClientData | undefined, nowMs: number): Cents {
  const d = clientData ?? {};
  let cents = 2_500;
  cents += Math.max(0, Math.floor(d.kycLevel ?? 0)) * 5_000;
  if (d.fiatDeposits) cents += 5_000;
  if (d.cryptoDeposits) cents += 5_000;
  if (d.fiatDeposits && d.cryptoDeposits && (d.kycLevel ?? 0) >= 3) cents += 15_000;
  cents += Math.min(50_000, Math.floor((d.totalWager ?? 0) * 100 * 0.01));
  if (d.registrationDate) {
    const since = Date.parse(d.registrationDate);
    if (Number.isFinite(since) && nowMs - since > YEAR_MS) cents += 2_500;
  }
  return cents;
}

export interface CollateralLimits {
  providerCents: Cents;
  merchantCents: Cents;
}

/** What of the user's collateral is not already backing an in-flight deposit's pre-credit. */
export function availableCollateral(
  limits: CollateralLimits,
  steamId: string,
  trades: readonly TradeRecord[],
): CollateralLimits {
  let provider = limits.providerCents;
  let merchant = limits.merchantCents;
  for (const t of trades) {
    if (t.type !== "deposit" || t.source !== "client" || t.clientSteamID !== steamId) continue;
    if (!isInFlight(t.status) || !t.collateral) continue;
    provider -= t.collateral.providerCents;
    merchant -= t.collateral.merchantCents;
  }
  return { providerCents: Math.max(0, provider), merchantCents: Math.max(0, merchant) };
}

export interface CreditSplit {
  preCreditCents: Cents;
  pendingCreditCents: Cents;
  collateral: { merchantCents: Cents; providerCents: Cents };
}

export function splitCredit(opts: {
  totalCents: Cents;
  game: Game;
  isInstant: boolean;
  source: "client" | "self";
  available: CollateralLimits;
}): CreditSplit {
  const none = { merchantCents: 0, providerCents: 0 };
  if (opts.source === "self" || opts.game !== CS2) {
    return { preCreditCents: opts.totalCents, pendingCreditCents: 0, collateral: none };
  }
  if (!opts.isInstant) return { preCreditCents: 0, pendingCreditCents: opts.totalCents, collateral: none };
  const target = Math.floor((opts.totalCents * INSTANT_SHARE_BPS) / 10_000);
  const pre = Math.min(target, opts.available.providerCents + opts.available.merchantCents);
  const providerPart = Math.min(pre, opts.available.providerCents);
  return {
    preCreditCents: pre,
    pendingCreditCents: opts.totalCents - pre,
    collateral: { providerCents: providerPart, merchantCents: pre - providerPart },
  };
}
