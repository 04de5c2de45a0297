/**
 * Steam trade URLs and SteamID64. A trade URL's `partner` is the 32-bit account id; the
 * SteamID64 of an individual public-universe account is that id plus 76561197960265728.
 */
import { STEAM_ID_PATTERN, TRADE_URL_PATTERN } from "../assetpay/schemas.ts";

const STEAM_ID64_BASE = 76561197960265728n;

export interface TradeUrl {
  url: string;
  accountId: number;
  token: string;
  steamId: string;
}

/** Parses a trade URL in exactly the shape AssetPay accepts; returns null for anything else. */
export function parseTradeUrl(input: string): TradeUrl | null {
  const url = input.trim();
  if (!TRADE_URL_PATTERN.test(url)) return null;
  const match = /partner=(\d{1,10})&token=([A-Za-z0-9_-]{8})$/.exec(url);
  if (!match) return null;
  const accountId = Number(match[1]);
  // Account ids are 32-bit; partner=0 or > 2^32-1 names no account.
  if (accountId <= 0 || accountId > 0xffff_ffff) return null;
  const steamId = (STEAM_ID64_BASE + BigInt(accountId)).toString();
  if (!STEAM_ID_PATTERN.test(steamId)) return null;
  return { url, accountId, token: match[2] as string, steamId };
}

export function tradeUrlFor(accountId: number, token: string): string {
  return `https://steamcommunity.com/tradeoffer/new/?partner=${accountId}&token=${token}`;
}

/** The Steam page where a member sees and accepts an offer. */
export function tradeOfferLink(offerId: string): string {
  return `https://steamcommunity.com/tradeoffer/${encodeURIComponent(offerId)}/`;
}
