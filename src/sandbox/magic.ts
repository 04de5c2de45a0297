/**
 * Magic inputs, like a payment provider's test card numbers: a trade URL `token` or an
 * `externalId` prefix that makes the sandbox take a non-happy path. Everything here is listed in
 * README.md ("Magic inputs"); any other input behaves normally.
 */
import { ERROR_CODES, type ErrorKey, isKnownErrorKey } from "../assetpay/error-codes.ts";
import { CS2, type Game, RUST } from "./catalog.ts";
import type { DepositOutcome, ItemOutcome, TradeErrorCode } from "./trades.ts";

const STEAM_ID64_BASE = 76561197960265728n;

export interface CheckTradeUrlResult {
  state: number;
  steamid?: string;
  message: string;
  canTrade?: boolean;
  reason?: { escrowDays: number; probation: boolean };
  bans?: { vacBanned: boolean; gameBans: number; economyBan: string };
}

export interface TradeUrlProfile {
  token: string;
  steamId?: string;
  check: CheckTradeUrlResult;
  /** Why Steam cannot serve this user's inventory. */
  inventoryError?: ErrorKey;
  /** Why a deposit of this game is refused up front. */
  depositRefusal?: (game: Game) => ErrorKey | undefined;
  /** A deposit by this user ends this way. */
  depositOutcome?: DepositOutcome;
  /** Every withdraw item for this user ends this way. */
  itemOutcome?: ItemOutcome;
  /** A withdrawal to this user fails after approval with this shared cause. */
  withdrawFailure?: TradeErrorCode;
}

/** SteamID64 of the trade URL's `partner` account id, if it names one. */
export function steamIdFromTradeUrl(url: string): string | undefined {
  const match = /[?&]partner=(\d{1,10})(?:&|$)/.exec(url);
  if (!match) return undefined;
  const account = BigInt(match[1] as string);
  if (account <= 0n || account > 0xffffffffn) return undefined;
  return (STEAM_ID64_BASE + account).toString();
}

function tokenOf(url: string): string {
  return /[?&]token=([A-Za-z0-9_-]{8})$/.exec(url)?.[1] ?? "";
}

const CLEAN_BANS = { vacBanned: false, gameBans: 0, economyBan: "none" };

/** The trade URL tokens that mean something to the sandbox, with a one-line meaning each. */
export const MAGIC_TOKENS: Record<string, string> = {
  PRIVATE0: "check-tradeurl state 5 (inventory private); inventory and deposits → INVENTORY_PRIVATE",
  CS2BAN00: "state 2 (VAC banned: CS2 only); CS2 deposits → USER_NOT_TRADEABLE, Rust works",
  RUSTBAN0: "state 3 (Rust banned); Rust deposits → USER_NOT_TRADEABLE",
  TRADEBAN: "state 4 (trade banned); deposits → USER_NOT_TRADEABLE; withdrawals fail USER_TRADE_RESTRICTED",
  ESCROW07:
    "state 1 with canTrade false, escrowDays 7; deposits → ESCROW_NOT_ALLOWED; withdrawals fail USER_ESCROW",
  PROBATN0: "state 1, economy ban on probation; deposits → USER_NOT_TRADEABLE",
  BADURL00: "state 6 (trade URL invalid); deposits → INVALID_TRADEURL; withdrawals fail TRADE_URL_INVALID",
  NOUSER00: "state 7 (user not found); deposits → INVALID_TRADEURL; withdrawals fail USER_NOT_FOUND",
  UNKNOWN0: "state 8 (unknown error); otherwise normal",
  NOTRADE0: "state 9 (not tradeable); deposits → USER_NOT_TRADEABLE; withdrawals fail USER_TRADE_RESTRICTED",
  STEAMDWN: "state 10 (Steam unavailable); inventory and deposits → STEAM_UNAVAILABLE (424)",
  INVFAIL0: "inventory and deposits → INVENTORY_FETCH_FAILED (424)",
  STEAMRL0: "inventory and deposits → STEAM_RATE_LIMITED (424)",
  DECLINE0: "deposits end `declined` (the user declines the offer)",
  CANCEL00: "deposits end `canceled` (the offer expires after 10 minutes)",
  DEPFAIL0: "deposits end `failed` (the bot could not create the offer)",
  REVERT00:
    "CS2 deposits end `reverted` (revertedBy user) 3 days into the hold; Rust 1 hour after completion",
  WDFAIL00: "every withdraw item fails at sourcing (PURCHASE_FAILED); the trade fails",
  WDSLOW00: "withdraw sellers never send: items stay `pending` until cancelled or auto-cancelled",
  WDDECLIN: "withdraw offers are declined by the user (items `declined`, error OFFER_NOT_ACCEPTED)",
  WDREVERT: "withdraw items are reverted by the supplier 3 days into the hold",
};

/** Builds the check-tradeurl answer of a magic token from the normal one. */
interface CheckKit {
  /** The normal answer with these fields over it (canTrade left out when undefined). */
  over(check: Partial<CheckTradeUrlResult>): CheckTradeUrlResult;
  /** `{steamid}` when the trade URL names an account. */
  steamid: { steamid?: string };
}

type TokenEffect = (kit: CheckKit) => Partial<Omit<TradeUrlProfile, "token" | "steamId">>;

const bothGames = (key: ErrorKey) => () => key;
const bannedIn = (banned: Game) => (game: Game) => (game === banned ? "USER_NOT_TRADEABLE" : undefined);

/** What each magic token does (MAGIC_TOKENS says it in words). */
const TOKEN_EFFECTS = new Map<string, TokenEffect>([
  [
    "PRIVATE0",
    (k) => ({
      check: { state: 5, message: "Inventory is private", ...k.steamid },
      inventoryError: "INVENTORY_PRIVATE",
    }),
  ],
  [
    "CS2BAN00",
    (k) => ({
      check: k.over({
        state: 2,
        message: "VAC banned: can trade Rust only",
        bans: { vacBanned: true, gameBans: 0, economyBan: "none" },
      }),
      depositRefusal: bannedIn(CS2),
    }),
  ],
  [
    "RUSTBAN0",
    (k) => ({
      check: k.over({
        state: 3,
        message: "Banned in Rust",
        bans: { vacBanned: false, gameBans: 1, economyBan: "none" },
      }),
      depositRefusal: bannedIn(RUST),
    }),
  ],
  [
    "TRADEBAN",
    (k) => ({
      check: k.over({
        state: 4,
        message: "Trade banned",
        canTrade: false,
        reason: { escrowDays: 0, probation: false },
        bans: { vacBanned: false, gameBans: 0, economyBan: "banned" },
      }),
      depositRefusal: bothGames("USER_NOT_TRADEABLE"),
      withdrawFailure: "USER_TRADE_RESTRICTED",
    }),
  ],
  [
    "ESCROW07",
    (k) => ({
      check: k.over({
        canTrade: false,
        message: "Trades are held for 7 days",
        reason: { escrowDays: 7, probation: false },
      }),
      depositRefusal: bothGames("ESCROW_NOT_ALLOWED"),
      withdrawFailure: "USER_ESCROW",
    }),
  ],
  [
    "PROBATN0",
    (k) => ({
      check: k.over({
        canTrade: false,
        message: "Economy ban probation",
        reason: { escrowDays: 0, probation: true },
        bans: { vacBanned: false, gameBans: 0, economyBan: "probation" },
      }),
      depositRefusal: bothGames("USER_NOT_TRADEABLE"),
    }),
  ],
  [
    "BADURL00",
    () => ({
      check: { state: 6, message: "Trade URL is invalid" },
      depositRefusal: bothGames("INVALID_TRADEURL"),
      withdrawFailure: "TRADE_URL_INVALID",
    }),
  ],
  [
    "NOUSER00",
    () => ({
      check: { state: 7, message: "User not found" },
      depositRefusal: bothGames("INVALID_TRADEURL"),
      withdrawFailure: "USER_NOT_FOUND",
    }),
  ],
  ["UNKNOWN0", (k) => ({ check: { state: 8, message: "Unknown error", ...k.steamid } })],
  [
    "NOTRADE0",
    (k) => ({
      check: k.over({
        state: 9,
        message: "User cannot trade",
        canTrade: false,
        reason: { escrowDays: 0, probation: false },
      }),
      depositRefusal: bothGames("USER_NOT_TRADEABLE"),
      withdrawFailure: "USER_TRADE_RESTRICTED",
    }),
  ],
  [
    "STEAMDWN",
    () => ({ check: { state: 10, message: "Steam is unavailable" }, inventoryError: "STEAM_UNAVAILABLE" }),
  ],
  ["INVFAIL0", () => ({ inventoryError: "INVENTORY_FETCH_FAILED" })],
  ["STEAMRL0", () => ({ inventoryError: "STEAM_RATE_LIMITED" })],
  ["DECLINE0", () => ({ depositOutcome: "declined" })],
  ["CANCEL00", () => ({ depositOutcome: "canceled" })],
  ["DEPFAIL0", () => ({ depositOutcome: "failed" })],
  ["REVERT00", () => ({ depositOutcome: "reverted" })],
  ["WDFAIL00", () => ({ itemOutcome: "fail" })],
  ["WDSLOW00", () => ({ itemOutcome: "slow" })],
  ["WDDECLIN", () => ({ itemOutcome: "declined" })],
  ["WDREVERT", () => ({ itemOutcome: "reverted" })],
]);

export function profileForTradeUrl(url: string): TradeUrlProfile {
  const token = tokenOf(url);
  const steamId = steamIdFromTradeUrl(url);
  const steamid = steamId !== undefined ? { steamid: steamId } : {};
  const normal: CheckTradeUrlResult = {
    state: 1,
    message: "Normal",
    canTrade: true,
    bans: { ...CLEAN_BANS },
    ...steamid,
  };
  const over = (check: Partial<CheckTradeUrlResult>): CheckTradeUrlResult => {
    const out: CheckTradeUrlResult = { ...normal, ...check };
    if (out.canTrade === undefined) delete out.canTrade;
    return out;
  };
  const { check = normal, ...effects } = TOKEN_EFFECTS.get(token)?.({ over, steamid }) ?? {};
  return { token, ...(steamId !== undefined ? { steamId } : {}), check, ...effects };
}

/** Errors raised after AssetPay has already recorded the trade: the externalId stays consumed. */
const POST_RECORD_ERRORS: ReadonlySet<ErrorKey> = new Set([
  "NO_BOTS_AVAILABLE",
  "TRADE_OFFER_FAILED",
  "SERVER_ERROR",
  "NO_OFFER_FOUND",
]);

/** Real milliseconds a `sb_slow_create` trade takes to create. */
export const SLOW_CREATE_MS = 400;

export interface ExternalIdMagic {
  error?: {
    key: ErrorKey;
    consumesExternalId: boolean;
    retryAfter?: number;
    details?: Record<string, unknown>;
  };
  depositOutcome?: DepositOutcome;
  itemOutcome?: ItemOutcome;
  /** Offer creation takes SLOW_CREATE_MS (to provoke DEPOSIT_IN_PROGRESS / WITHDRAW_IN_PROGRESS). */
  slowCreate?: boolean;
}

const OUTCOME_PREFIXES: [string, ExternalIdMagic][] = [
  ["sb_declined", { depositOutcome: "declined" }],
  ["sb_canceled", { depositOutcome: "canceled" }],
  ["sb_failed", { depositOutcome: "failed" }],
  ["sb_reverted", { depositOutcome: "reverted" }],
  ["sb_wd_fail", { itemOutcome: "fail" }],
  ["sb_wd_slow", { itemOutcome: "slow" }],
  ["sb_wd_declined", { itemOutcome: "declined" }],
  ["sb_wd_reverted", { itemOutcome: "reverted" }],
  ["sb_slow_create", { slowCreate: true }],
];

const ERROR_ALIASES: Record<string, ErrorKey> = {
  sb_no_bots: "NO_BOTS_AVAILABLE",
  sb_fleet: "FLEET_DEGRADED",
  sb_balance_low: "MERCHANT_BALANCE_LOW",
  sb_overstocked: "ITEM_OVERSTOCKED",
  sb_maintenance: "SYSTEM_MAINTENANCE",
};

function retryAfterFor(key: ErrorKey): number | undefined {
  const status = ERROR_CODES[key].status;
  return status === 503 || status === 429 ? 30 : undefined;
}

/**
 * Trade-level externalId magic: `sb_err_<KEY>` answers any known error key with its status
 * (e.g. `sb_err_WITHDRAWALS_PAUSED_42`), a few aliases (`sb_no_bots…`), and outcome prefixes.
 */
export function externalIdMagic(externalId: string | undefined): ExternalIdMagic {
  if (externalId === undefined || !externalId.startsWith("sb_")) return {};
  const named = /^sb_err_([A-Z0-9_]+)/.exec(externalId)?.[1];
  let key: ErrorKey | undefined;
  if (named !== undefined) {
    // A numeric suffix keeps externalIds unique across tests: `sb_err_FLEET_DEGRADED_2`.
    const candidates = [named, named.replace(/_\d+$/, "")];
    key = candidates.find((c) => isKnownErrorKey(c)) as ErrorKey | undefined;
  }
  if (key === undefined) {
    for (const [prefix, alias] of Object.entries(ERROR_ALIASES)) {
      if (externalId.startsWith(prefix)) key = alias;
    }
  }
  if (key !== undefined) {
    const error: NonNullable<ExternalIdMagic["error"]> = {
      key,
      consumesExternalId: POST_RECORD_ERRORS.has(key),
    };
    const retryAfter = retryAfterFor(key);
    if (retryAfter !== undefined) error.retryAfter = retryAfter;
    return { error };
  }
  // Longest prefix wins, so sb_wd_declined is not read as sb_declined.
  const match = OUTCOME_PREFIXES.filter(([prefix]) => externalId.startsWith(prefix)).sort(
    (a, b) => b[0].length - a[0].length,
  )[0];
  return match ? { ...match[1] } : {};
}

/** The externalId prefixes that mean something to the sandbox (trade-level, then per item). */
export const MAGIC_EXTERNAL_IDS: Record<string, string> = {
  "sb_err_<KEY>": "answers that error key with its code and status (429/503 with Retry-After: 30)",
  sb_no_bots: "NO_BOTS_AVAILABLE after the trade is recorded (the externalId stays taken)",
  sb_fleet: "FLEET_DEGRADED with Retry-After: 30",
  sb_balance_low: "MERCHANT_BALANCE_LOW",
  sb_overstocked: "ITEM_OVERSTOCKED with details.items",
  sb_maintenance: "SYSTEM_MAINTENANCE",
  sb_declined: "the deposit ends declined",
  sb_canceled: "the deposit ends canceled",
  sb_failed: "the deposit ends failed",
  sb_reverted: "the deposit ends reverted",
  sb_wd_fail: "every withdraw item fails (PURCHASE_FAILED)",
  sb_wd_slow: "every withdraw item stays pending",
  sb_wd_declined: "every withdraw item is declined",
  sb_wd_reverted: "every withdraw item is reverted by the supplier during the hold",
  sb_slow_create: `creating the trade takes ${SLOW_CREATE_MS} ms`,
  sb_item_fail: "(item externalId) that item fails LISTING_UNAVAILABLE",
  sb_item_slow: "(item externalId) that item stays pending",
  sb_item_declined: "(item externalId) that item is declined",
  sb_item_reverted: "(item externalId) that item is reverted during the hold",
};

/** Per-item externalId magic on withdrawals: `sb_item_fail…`, `sb_item_slow…`, `sb_item_declined…`, `sb_item_reverted…`. */
export function itemExternalIdOutcome(externalId: string | undefined): ItemOutcome | undefined {
  if (externalId === undefined) return undefined;
  if (externalId.startsWith("sb_item_fail")) return "fail";
  if (externalId.startsWith("sb_item_slow")) return "slow";
  if (externalId.startsWith("sb_item_declined")) return "declined";
  if (externalId.startsWith("sb_item_reverted")) return "reverted";
  return undefined;
}
