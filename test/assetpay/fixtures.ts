import { type AssetPayClientOptions, createAssetPayClient } from "../../src/assetpay/client.ts";
import type { ClientIdentity } from "../../src/assetpay/token-cache.ts";
import type { FakeAssetPay } from "./fake-assetpay.ts";

export const API_KEY = "ap_test_key_0123456789abcdef";
export const API_SECRET = "test-api-secret-do-not-leak";
export const MERCHANT_ID = "0c7a9c52-4f6e-4f61-9c3b-5b1d1c2e8a10";
export const STEAM_ID = "76561198012345678";
export const TRADE_URL = "https://steamcommunity.com/tradeoffer/new/?partner=52079950&token=ABCdef12";

export const member: ClientIdentity = {
  memberId: "discord:1234567890",
  steamId: STEAM_ID,
  tradeUrl: TRADE_URL,
};

export function itemWire(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "item-0001",
    appid: 730,
    name: "AK-47 | Redline (Field-Tested)",
    marketHashName: "AK-47 | Redline (Field-Tested)",
    tradable: true,
    offer: { price: 10.75, accepted: true },
    marketPrice: 12.3,
    ...over,
  };
}

export function tradeWire(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "8b0f8e5e-3f3a-4d0e-9d7e-2b1a0c9d8e7f",
    type: "deposit",
    source: "client",
    externalId: "dep-1",
    externalClientUserId: member.memberId,
    merchantId: MERCHANT_ID,
    clientUserId: "cu-1",
    clientTradeUrl: TRADE_URL,
    clientSteamID: STEAM_ID,
    status: "initiated",
    game: "730",
    items: [itemWire()],
    totalPrice: 10.75,
    createdAt: "2026-05-14T12:00:00.000Z",
    updatedAt: "2026-05-14T12:00:00.000Z",
    ...over,
  };
}

export function inventoryData(): Record<string, unknown> {
  return { inventory: [itemWire()], count: 1, updatedAt: "2026-05-14T12:00:00.000Z", collateral: 25.5 };
}

/** A client pointed at the fake with fast retries; tests override what they examine. */
export function clientFor(fake: FakeAssetPay, over: Partial<AssetPayClientOptions> = {}) {
  return createAssetPayClient({
    baseUrl: fake.url,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    merchantId: MERCHANT_ID,
    retry: { attempts: 3, baseDelayMs: 1, maxRetryAfterSeconds: 5 },
    ...over,
  });
}
