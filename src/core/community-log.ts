/**
 * The community's own trades (merchant self-trades: giveaways and liquidations) as an audit
 * trail: who started what, and how it went. They never touch member balances, so they are
 * journaled here instead of in the ledger.
 */
import { getAs, type KV } from "./kv.ts";
import type { MemberId } from "./ledger.ts";
import type { Cents } from "./money.ts";

export interface CommunityEvent {
  at: string;
  tradeId: string;
  externalId: string;
  kind: "giveaway" | "liquidation";
  actor: string;
  recipient?: MemberId;
  status: string;
  totalCents: Cents;
  items: string[];
}

export interface CommunityLog {
  append(event: CommunityEvent): Promise<void>;
  recent(limit: number): Promise<CommunityEvent[]>;
}

const KEEP = 500;

export function createCommunityLog(kv: KV): CommunityLog {
  const key = "community-log";
  return {
    async append(event) {
      const list = (await getAs<CommunityEvent[]>(kv, key)) ?? [];
      // One line per trade and status: a replayed callback does not log twice.
      if (list.some((e) => e.tradeId === event.tradeId && e.status === event.status)) return;
      list.unshift(event);
      await kv.set(key, list.slice(0, KEEP));
    },
    async recent(limit) {
      return ((await getAs<CommunityEvent[]>(kv, key)) ?? []).slice(0, limit);
    },
  };
}
