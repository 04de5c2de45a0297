/**
 * Domain refusals as typed values. The core throws these; the edge (a platform adapter or the
 * console) turns them into localized text once, through `errors.core.<key>` in the catalogue.
 */
import { isAssetPayError } from "../assetpay/errors.ts";

export type CoreErrorKey =
  | "notLinked"
  | "alreadyLinked"
  | "linkChanged"
  | "signinExpired"
  | "signinNotYours"
  | "signinPending"
  | "unlinkLocked"
  | "steamAccountLocked"
  | "joinHostsOthers"
  | "joinCodeInvalid"
  | "steamAccountTaken"
  | "invalidTradeUrl"
  | "tradeUrlState"
  | "tradeUrlEscrow"
  | "insufficientBalance"
  | "pickerExpired"
  | "pickerNotYours"
  | "nothingSelected"
  | "tooManySelected"
  | "depositsPaused"
  | "withdrawalsPaused"
  | "memberLocked"
  | "withdrawalsLockedNegative"
  | "alreadyConfirmed"
  | "tradeInProgress"
  | "cancelTooSoon"
  | "notCancellable"
  | "notAdmin"
  | "unknownMember"
  | "amountInvalid"
  | "reasonRequired"
  | "internal";

export type ErrorParams = Record<string, string | number>;

export class CoreError extends Error {
  readonly key: CoreErrorKey;
  readonly params: ErrorParams;
  constructor(key: CoreErrorKey, params: ErrorParams = {}) {
    super(key);
    this.name = "CoreError";
    this.key = key;
    this.params = params;
  }
}

export function isCoreError(e: unknown): e is CoreError {
  return e instanceof CoreError;
}

/** An AssetPay refusal's key (`PRICE_CHANGED`…), or undefined for anything else: commands branch on it. */
export function upstreamErrorKey(err: unknown): string | undefined {
  return isAssetPayError(err) ? err.key : undefined;
}
