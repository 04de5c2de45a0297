/**
 * The community's own trades (merchant self-trades: giveaways and liquidations) as an audit
 * trail: who started what, and how it went. They never touch member balances, so they are
 * journaled here instead of in the ledger. Appends are appends (never a read-then-rewrite of
 * the whole trail), so lines from trades moving at the same instant are all kept.
 */

import type { Cents } from "../base/money.ts";
import type { MemberId } from "./ledger.ts";

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
  /** Adds the line once per trade and status: a replayed callback does not log twice. */
  append(event: CommunityEvent): Promise<void>;
  /** Newest first; `offset` lines skipped (paging). */
  recent(limit: number, offset?: number): Promise<CommunityEvent[]>;
}

/** Lines kept; older ones drop off. */
export const COMMUNITY_LOG_KEEP = 5000;

export function communityLineKey(event: Pick<CommunityEvent, "tradeId" | "status">): string {
  return `${event.tradeId}:${event.status}`;
}
