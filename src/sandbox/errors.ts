/**
 * The error envelope `{requestId, success: false, error: {code, key, message, fields?, details?}}`
 * with codes and HTTP statuses from src/assetpay/error-codes.ts. Keys whose number no source
 * gives get a stable placeholder inside the documented range (README: "Error codes").
 */
import { ERROR_CODES, type ErrorKey } from "../assetpay/error-codes.ts";

/**
 * Placeholders for keys with `code: null` in error-codes.ts. Trading keys reuse their old
 * (docs.assetpay.co) number where that slot is still free in the current numbering, the rest take
 * unused numbers of their documented range.
 */
export const PLACEHOLDER_CODES: Partial<Record<ErrorKey, number>> = {
  NO_OFFER_FOUND: 4,
  TRADE_OFFER_FAILED: 5,
  TOO_MANY_ACTIVE_TRADES: 6,
  ITEMS_NOT_ACCEPTED: 10,
  INSUFFICIENT_ITEM_AMOUNT: 18,
  EXCEEDS_MAX_AMOUNT: 19,
  DEPOSIT_IN_PROGRESS: 21,
  TRADE_NOT_FOUND: 22,
  ESCROW_NOT_ALLOWED: 23,
  INVENTORY_PRIVATE: 24,
  INSUFFICIENT_STOCK: 25,
  MIXED_SUPPLIER_TRADE: 26,
  TRADE_CANCEL_UNSUPPORTED: 29,
  INSTANT_DEPOSITS_DISABLED: 34,
  DEPOSITS_PAUSED: 35,
  WITHDRAWALS_PAUSED: 36,
  MERCHANT_NO_API_SECRET: 1706,
  MERCHANT_CALLBACK_URL_DISABLED: 1707,
  API_KEY_IP_DENIED: 1904,
};

export function codeFor(key: ErrorKey): number {
  return ERROR_CODES[key].code ?? PLACEHOLDER_CODES[key] ?? 1006;
}

export function statusFor(key: ErrorKey): number {
  return ERROR_CODES[key].status;
}

const DEFAULT_MESSAGES: Partial<Record<ErrorKey, string>> = {
  MISSING_API_KEY: "Missing api-key header",
  INVALID_API_KEY: "Invalid API key",
  MISSING_BEARER: "Missing client token in the Authorization header",
  INVALID_TOKEN: "Invalid or expired client token",
  NOT_FOUND: "Route not found",
  TRADE_NOT_FOUND: "Trade not found",
  ITEM_NOT_FOUND: "Item not found in this trade",
  FORBIDDEN: "This trade does not belong to you",
  EXTERNAL_ID_EXISTS: "The externalId is already in use",
  MISSING_ITEMS: "No items given",
  TOO_MANY_ITEMS: "Too many items in one trade",
  ITEMS_UNAVAILABLE: "Some items are not available",
  PRICE_CHANGED: "The price changed since it was fetched",
  MERCHANT_BALANCE_LOW: "The merchant balance cannot cover this withdrawal",
  MERCHANT_NO_CALLBACK_URL: "The merchant has no active callback URL configured",
  TOO_MANY_ACTIVE_TRADES: "Too many deposits awaiting acceptance for this user",
  RATE_LIMITED: "Too many requests; slow down",
  DEPOSIT_IN_PROGRESS: "Another deposit is being created for this user",
  WITHDRAW_IN_PROGRESS: "Another withdrawal is being created for this user",
  NO_BOTS_AVAILABLE: "No Steam bots available; retry shortly",
  FLEET_DEGRADED: "The Steam bot fleet is degraded; retry shortly",
  TRADE_CANCEL_TOO_SOON: "An item can be cancelled 30 minutes after it was created",
  TRADE_NOT_CANCELLABLE: "This item can no longer be cancelled",
  TRADE_CANCEL_UNSUPPORTED: "This item has no provider cancel",
};

export interface ApiErrorInit {
  message?: string | string[];
  fields?: Record<string, string>;
  details?: Record<string, unknown>;
  status?: number;
  headers?: Record<string, string>;
}

/** The `Retry-After` header of a refusal, when it has one (seconds). */
export function retryAfterHeaders(seconds: number | undefined): Pick<ApiErrorInit, "headers"> {
  return seconds === undefined ? {} : { headers: { "retry-after": String(seconds) } };
}

/** A refusal the sandbox answers with the error envelope. Thrown by handlers, caught by the router. */
export class ApiError extends Error {
  readonly key: ErrorKey;
  readonly status: number;
  readonly code: number;
  readonly messages: string | string[];
  readonly fields: Record<string, string> | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(key: ErrorKey, init: ApiErrorInit = {}) {
    const message = init.message ?? DEFAULT_MESSAGES[key] ?? key.toLowerCase().replaceAll("_", " ");
    super(Array.isArray(message) ? message.join("; ") : message);
    this.name = "ApiError";
    this.key = key;
    this.status = init.status ?? statusFor(key);
    this.code = codeFor(key);
    this.messages = message;
    this.fields = init.fields;
    this.details = init.details;
    this.headers = init.headers ?? {};
  }

  body(requestId: string): ErrorEnvelope {
    const error: ErrorEnvelope["error"] = { code: this.code, key: this.key, message: this.messages };
    if (this.fields !== undefined) error.fields = this.fields;
    if (this.details !== undefined) error.details = this.details;
    return { requestId, success: false, error };
  }
}

export interface ErrorEnvelope {
  requestId: string;
  success: false;
  error: {
    code: number;
    key: string;
    message: string | string[];
    fields?: Record<string, string>;
    details?: Record<string, unknown>;
  };
}

export interface SuccessEnvelope<T> {
  requestId: string;
  success: true;
  data: T;
}

export function successEnvelope<T>(requestId: string, data: T): SuccessEnvelope<T> {
  return { requestId, success: true, data };
}

/** The fields/message pair of VALIDATION_FAILED: at most 20 fields, the message names the first 5. */
export function validationError(fields: Record<string, string>, status = 422): ApiError {
  const entries = Object.entries(fields).slice(0, 20);
  const capped = Object.fromEntries(entries);
  const message = entries.slice(0, 5).map(([path, reason]) => `${path}: ${reason}`);
  return new ApiError("VALIDATION_FAILED", { fields: capped, message, status });
}
