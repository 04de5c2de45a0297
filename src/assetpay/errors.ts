/**
 * The one error type the AssetPay client throws. Server errors keep the envelope's `key`, `code`,
 * `fields` and `details` as sent (an unknown key is kept verbatim: callers branch on `key`, and a
 * key we have never seen is still worth showing in logs). Errors raised on our side carry a
 * `SDK_*` key, code 0 and, for transport failures, status 0.
 */
import { type ClientErrorKey, ERROR_CODES, type ErrorKey, isKnownErrorKey } from "./error-codes.ts";

export type AssetPayErrorKey = ErrorKey | ClientErrorKey | (string & {});

export interface AssetPayErrorInit {
  /** HTTP status; 0 when nothing usable came back (transport failure, local validation). */
  status: number;
  code: number;
  key: AssetPayErrorKey;
  message: string | string[];
  operation: string;
  fields?: Record<string, string>;
  details?: Record<string, unknown>;
  /** Seconds the server asked us to wait (`Retry-After`). */
  retryAfter?: number;
  requestId?: string;
  cause?: unknown;
}

export class AssetPayError extends Error {
  readonly status: number;
  readonly code: number;
  readonly key: AssetPayErrorKey;
  readonly operation: string;
  readonly fields?: Record<string, string>;
  readonly details?: Record<string, unknown>;
  readonly retryAfter?: number;
  readonly requestId?: string;

  constructor(init: AssetPayErrorInit) {
    const message = Array.isArray(init.message) ? init.message.join("; ") : init.message;
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "AssetPayError";
    this.status = init.status;
    this.code = init.code;
    this.key = init.key;
    this.operation = init.operation;
    if (init.fields !== undefined) this.fields = init.fields;
    if (init.details !== undefined) this.details = init.details;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }

  /** Whether the same call may be tried again later (after `retryAfter` when set). */
  get isRetryable(): boolean {
    return isRetryable(this);
  }
}

/**
 * Raised when a trade-creating POST failed in transit and even the lookup by `externalId` could
 * not say whether AssetPay created the trade. The caller must keep its intent and reconcile later
 * (or retry with the *same* externalId, which AssetPay refuses with EXTERNAL_ID_EXISTS if the
 * first attempt did land).
 */
export class TradeOutcomeUnknown extends AssetPayError {
  readonly externalId: string | undefined;

  constructor(init: AssetPayErrorInit & { externalId: string | undefined }) {
    super({ ...init, details: { ...init.details, tradeCreated: "unknown", externalId: init.externalId } });
    this.name = "TradeOutcomeUnknown";
    this.externalId = init.externalId;
  }
}

export function isAssetPayError(err: unknown): err is AssetPayError {
  return err instanceof AssetPayError;
}

/**
 * For a failed trade-creating POST: `true`/`false` when the externalId lookup settled it,
 * `"unknown"` when it could not, `undefined` when the question never arose.
 */
export function tradeCreated(err: unknown): boolean | "unknown" | undefined {
  if (!(err instanceof AssetPayError)) return undefined;
  const value = err.details?.["tradeCreated"];
  return value === true || value === false || value === "unknown" ? value : undefined;
}

export function clientError(
  key: ClientErrorKey,
  message: string,
  extra: Omit<AssetPayErrorInit, "key" | "code" | "message">,
): AssetPayError {
  return new AssetPayError({ ...extra, key, code: 0, message });
}

/** A request we refuse to send because the contract would reject it anyway. */
export function invalidInput(operation: string, fields: Record<string, string>): AssetPayError {
  const names = Object.keys(fields);
  return new AssetPayError({
    status: 0,
    code: ERROR_CODES.VALIDATION_FAILED.code,
    key: "VALIDATION_FAILED",
    message: names.map((n) => `${n}: ${fields[n]}`),
    operation,
    fields,
  });
}

export function isRetryable(err: AssetPayError): boolean {
  if (err.key === "SDK_NETWORK" || err.key === "SDK_TIMEOUT") {
    return tradeCreated(err) !== "unknown";
  }
  if (err.key === "SDK_ABORTED") return false;
  if (err.status === 429 || err.status >= 500) return true;
  return isKnownErrorKey(err.key) && (ERROR_CODES[err.key] as { retryable?: boolean }).retryable === true;
}

/**
 * `Retry-After` as whole seconds to wait: either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}
