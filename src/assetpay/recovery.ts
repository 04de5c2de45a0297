/**
 * What to do when a trade-creating POST (deposit, withdraw, quick withdraw, sell, buy) fails on
 * the way: AssetPay may or may not have created the trade, and sending it again could create a
 * second one. Instead the trade is looked up by our externalId, which AssetPay keeps unique per
 * merchant: found means it exists (return it), TRADE_NOT_FOUND means it does not, and a lookup
 * that fails too leaves the outcome unknown for the caller's reconciler.
 */
import { AssetPayError, TradeOutcomeUnknown } from "./errors.ts";
import type { LoggerLike } from "./http.ts";
import type { Trade } from "./schemas.ts";

/** Failures after which the request may or may not have been applied. */
const IN_TRANSIT = new Set(["SDK_NETWORK", "SDK_TIMEOUT", "SDK_INVALID_RESPONSE", "SDK_ABORTED"]);

export interface RecoveryInput {
  operation: string;
  kind: Trade["type"];
  externalId: string | undefined;
  lookup: (externalId: string) => Promise<Trade>;
  logger?: LoggerLike;
}

function withDetails(err: AssetPayError, details: Record<string, unknown>): AssetPayError {
  return new AssetPayError({
    status: err.status,
    code: err.code,
    key: err.key,
    message: err.message,
    operation: err.operation,
    details: { ...err.details, ...details },
    ...(err.fields === undefined ? {} : { fields: err.fields }),
    ...(err.retryAfter === undefined ? {} : { retryAfter: err.retryAfter }),
    ...(err.requestId === undefined ? {} : { requestId: err.requestId }),
    cause: err.cause ?? err,
  });
}

function unknownOutcome(
  err: AssetPayError,
  externalId: string | undefined,
  details: Record<string, unknown>,
) {
  return new TradeOutcomeUnknown({
    status: err.status,
    code: err.code,
    key: err.key,
    message: `${err.message} (the trade may or may not have been created)`,
    operation: err.operation,
    details,
    ...(err.requestId === undefined ? {} : { requestId: err.requestId }),
    cause: err,
    externalId,
  });
}

/** Runs `send` once; on a failure in transit, settles whether the trade exists. */
export async function createTradeOnce(input: RecoveryInput, send: () => Promise<Trade>): Promise<Trade> {
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof AssetPayError)) throw err;
    // Failing to obtain the member's token happens before anything is sent.
    if (err.operation !== input.operation) throw withDetails(err, { tradeCreated: false });
    if (!IN_TRANSIT.has(err.key)) throw err;
    const { externalId } = input;
    // The caller gave up waiting, or we have nothing to look the trade up by.
    if (err.key === "SDK_ABORTED" || externalId === undefined) throw unknownOutcome(err, externalId, {});

    const log = input.logger?.child({ operation: input.operation, requestId: err.requestId, externalId });
    let found: Trade;
    try {
      found = await input.lookup(externalId);
    } catch (lookupErr) {
      if (lookupErr instanceof AssetPayError && lookupErr.key === "TRADE_NOT_FOUND") {
        log?.warn({ key: err.key }, "trade call failed in transit and created nothing");
        throw withDetails(err, { tradeCreated: false, externalId });
      }
      const lookupError = lookupErr instanceof AssetPayError ? lookupErr.key : "UNKNOWN";
      log?.warn({ key: err.key, lookupError }, "trade call failed in transit; outcome unknown");
      throw unknownOutcome(err, externalId, { lookupError });
    }
    if (found.type !== input.kind) {
      log?.warn({ key: err.key, foundType: found.type }, "externalId belongs to a trade of another kind");
      throw unknownOutcome(err, externalId, { lookupError: "TYPE_MISMATCH" });
    }
    log?.info({ key: err.key, tradeId: found.id }, "trade call failed in transit; recovered by externalId");
    return found;
  }
}
