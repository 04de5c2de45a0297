/**
 * Every AssetPay error key skinbridge knows, with its numeric code (current numbering) and the
 * HTTP status it comes with. Where AssetPay documents no number for a key, it
 * gets `null` here; the sandbox then answers with a documented-range placeholder and the bot
 * always branches on `key`, never on `code`.
 */
export interface ErrorCodeInfo {
  code: number | null;
  status: number;
  /** A refusal raised before anything happened: safe to retry after a pause. */
  retryable?: boolean;
}

export const ERROR_CODES = {
  EXTERNAL_ID_EXISTS: { code: 1, status: 409 },
  MISSING_ITEMS: { code: 2, status: 400 },
  INVENTORY_FETCH_FAILED: { code: 3, status: 424, retryable: true },
  NO_OFFER_FOUND: { code: null, status: 400 },
  TRADE_OFFER_FAILED: { code: null, status: 500 },
  TOO_MANY_ACTIVE_TRADES: { code: null, status: 429 },
  USER_NOT_TRADEABLE: { code: 7, status: 400 },
  TOO_MANY_ITEMS: { code: 8, status: 400 },
  ITEMS_UNAVAILABLE: { code: 9, status: 400 },
  ITEMS_NOT_ACCEPTED: { code: null, status: 400 },
  PRICE_CHANGED: { code: 11, status: 409 },
  MERCHANT_BALANCE_LOW: { code: 12, status: 400 },
  INVALID_TRADEURL: { code: 13, status: 400 },
  LISTING_NOT_FOUND: { code: 14, status: 404 },
  LISTING_PRICE_INVALID: { code: 15, status: 400 },
  INVALID_LISTING_ID: { code: 16, status: 400 },
  INSUFFICIENT_ITEM_AMOUNT: { code: null, status: 400 },
  EXCEEDS_MAX_AMOUNT: { code: null, status: 400 },
  WITHDRAW_IN_PROGRESS: { code: 20, status: 429, retryable: true },
  DEPOSIT_IN_PROGRESS: { code: null, status: 429, retryable: true },
  TRADE_CANCEL_TOO_SOON: { code: 27, status: 400 },
  TRADE_NOT_CANCELLABLE: { code: 28, status: 400 },
  TRADE_CANCEL_UNSUPPORTED: { code: null, status: 400 },
  STEAM_UNAVAILABLE: { code: 31, status: 424, retryable: true },
  QUICK_BUY_UNSUPPORTED_GAME: { code: 32, status: 400 },
  STEAM_RATE_LIMITED: { code: 33, status: 424, retryable: true },
  ITEM_OVERSTOCKED: { code: 45, status: 409 },
  TRADE_NOT_FOUND: { code: null, status: 404 },
  ESCROW_NOT_ALLOWED: { code: null, status: 400 },
  INVENTORY_PRIVATE: { code: null, status: 400 },
  INSUFFICIENT_STOCK: { code: null, status: 409 },
  MIXED_SUPPLIER_TRADE: { code: null, status: 400 },
  INSTANT_DEPOSITS_DISABLED: { code: null, status: 403 },
  DEPOSITS_PAUSED: { code: null, status: 503, retryable: true },
  WITHDRAWALS_PAUSED: { code: null, status: 503, retryable: true },
  VALIDATION_FAILED: { code: 1001, status: 422 },
  NOT_FOUND: { code: 1003, status: 404 },
  CONFLICT: { code: 1004, status: 409 },
  RATE_LIMITED: { code: 1005, status: 429, retryable: true },
  SERVER_ERROR: { code: 1006, status: 500, retryable: true },
  SYSTEM_MAINTENANCE: { code: 1007, status: 503, retryable: true },
  UNPROCESSABLE: { code: 1008, status: 422 },
  SERVICE_UNAVAILABLE: { code: 1009, status: 503, retryable: true },
  NO_BOTS_AVAILABLE: { code: 1010, status: 503, retryable: true },
  FLEET_DEGRADED: { code: 1011, status: 503, retryable: true },
  UNAUTHORIZED: { code: 1100, status: 401 },
  INVALID_CREDENTIALS: { code: 1101, status: 401 },
  INVALID_TOKEN: { code: 1102, status: 401 },
  MISSING_BEARER: { code: 1108, status: 401 },
  TOKEN_INVALID_OR_EXPIRED: { code: 1110, status: 401 },
  TOKEN_EXPIRED: { code: 1111, status: 401 },
  FORBIDDEN: { code: 1300, status: 403 },
  ACCOUNT_DISABLED: { code: 1301, status: 403 },
  INVALID_AMOUNT: { code: 1601, status: 400 },
  MERCHANT_NO_CALLBACK_URL: { code: 1705, status: 400 },
  MERCHANT_NO_API_SECRET: { code: null, status: 400 },
  MERCHANT_CALLBACK_URL_DISABLED: { code: null, status: 400 },
  MISSING_API_KEY: { code: 1900, status: 401 },
  INVALID_API_KEY: { code: 1901, status: 401 },
  API_KEY_REVOKED: { code: 1902, status: 401 },
  API_KEY_SCOPE_DENIED: { code: 1903, status: 403 },
  API_KEY_IP_DENIED: { code: null, status: 403 },
  ITEM_NOT_FOUND: { code: 2201, status: 404 },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorKey = keyof typeof ERROR_CODES;
export const ERROR_KEYS = Object.keys(ERROR_CODES) as ErrorKey[];

/** Keys that only the client itself raises (never sent by the server). */
export const CLIENT_ERROR_KEYS = [
  "SDK_TIMEOUT",
  "SDK_NETWORK",
  "SDK_ABORTED",
  "SDK_INVALID_RESPONSE",
] as const;
export type ClientErrorKey = (typeof CLIENT_ERROR_KEYS)[number];

export function isKnownErrorKey(key: string): key is ErrorKey {
  return Object.hasOwn(ERROR_CODES, key);
}
