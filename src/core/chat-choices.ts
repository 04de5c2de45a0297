/**
 * Short-lived choices a chat message offers (the market suggestions a member picks from, the
 * withdrawals a /trades message can cancel), remembered behind a short id that fits a button.
 * They belong to the member they were offered to and expire with the picker TTL. Commands keep
 * them here instead of in a store of their own.
 */
import { randomBytes } from "node:crypto";
import { CoreError } from "./errors.ts";
import { getAs, type KV } from "./kv.ts";
import type { MemberId } from "./ledger.ts";

export interface MarketChoices {
  game: string;
  found: { id: string; name: string }[];
  /** Set when an admin searches for a giveaway: the member who will receive the skin. */
  recipient?: MemberId;
}

export interface ChatChoices {
  /** Remembers market suggestions; resolves with the id a button carries. */
  offerSearch(owner: MemberId, choices: MarketChoices): Promise<string>;
  /** The suggestions behind a button, or `pickerExpired` / `pickerNotYours`. */
  search(owner: MemberId, id: string): Promise<MarketChoices>;
  /** Remembers the trades a /trades message offers to cancel. */
  offerCancels(owner: MemberId, tradeIds: string[]): Promise<string>;
  /** The trade behind a Cancel button. */
  cancelTarget(owner: MemberId, id: string, index: number): Promise<string>;
}

type Owned<T> = T & { owner: MemberId };

export function createChatChoices(kv: KV, ttlSeconds: number): ChatChoices {
  const offer = async (prefix: string, value: { owner: MemberId } & Record<string, unknown>) => {
    const id = randomBytes(8).toString("base64url").slice(0, 10);
    await kv.set(`${prefix}:${id}`, value, ttlSeconds * 1000);
    return id;
  };
  const take = async <T>(prefix: string, owner: MemberId, id: string): Promise<Owned<T>> => {
    const stored = await getAs<Owned<T>>(kv, `${prefix}:${id}`);
    if (!stored) throw new CoreError("pickerExpired");
    if (stored.owner !== owner) throw new CoreError("pickerNotYours");
    return stored;
  };
  return {
    offerSearch: (owner, choices) => offer("search", { ...choices, owner }),
    async search(owner, id) {
      const { owner: _owner, ...choices } = await take<MarketChoices>("search", owner, id);
      return choices;
    },
    offerCancels: (owner, tradeIds) => offer("trades", { owner, tradeIds }),
    async cancelTarget(owner, id, index) {
      const stored = await take<{ tradeIds: string[] }>("trades", owner, id);
      const tradeId = stored.tradeIds[index];
      if (!tradeId) throw new CoreError("pickerExpired");
      return tradeId;
    },
  };
}
