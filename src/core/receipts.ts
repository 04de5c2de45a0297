/**
 * Where a trade's receipt card is on screen: the message a member confirmed, remembered when the
 * trade starts so each settlement step can edit it into the trade's current status. Telegram
 * messages stay editable; a Discord interaction's response only while its token lives (15
 * minutes), after which the member's DM carries the news instead.
 */
import { getAs, type KV } from "./kv.ts";

export type ReceiptPlace =
  | { platform: "telegram"; chatId: number; messageId: number }
  | { platform: "discord"; applicationId: string; token: string; expiresAt: number };

/** A card as an adapter knows it; a Discord token's expiry is set on the core's clock. */
export type NewReceipt =
  | Extract<ReceiptPlace, { platform: "telegram" }>
  | { platform: "discord"; applicationId: string; token: string };

export interface Receipts {
  remember(tradeId: string, place: NewReceipt): Promise<void>;
  /** The card of a trade, or undefined when none was remembered or it can no longer be edited. */
  find(tradeId: string): Promise<ReceiptPlace | undefined>;
}

/** Long enough for a withdrawal's or deposit's Steam hold (up to 8 days) and its settlement after. */
const RECEIPT_TTL_MS = 14 * 86_400_000;

/** How long Discord lets an interaction's token edit its response. */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;

export function createReceipts(kv: KV, now: () => number = Date.now): Receipts {
  const key = (tradeId: string) => `receipt:${tradeId}`;
  return {
    async remember(tradeId, place) {
      if (place.platform === "telegram") return void (await kv.set(key(tradeId), place, RECEIPT_TTL_MS));
      const card: ReceiptPlace = { ...place, expiresAt: now() + INTERACTION_TOKEN_TTL_MS };
      await kv.set(key(tradeId), card, INTERACTION_TOKEN_TTL_MS);
    },
    async find(tradeId) {
      const place = await getAs<ReceiptPlace>(kv, key(tradeId));
      // The store's TTL is only a clean-up: the token's life is decided on the injected clock.
      if (place?.platform === "discord" && place.expiresAt <= now()) return undefined;
      return place;
    },
  };
}
