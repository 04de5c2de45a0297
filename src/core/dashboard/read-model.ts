/**
 * The paged reads the dashboard needs and the Ledger and TradeRecords do not offer: members a
 * page at a time, a journal's length, a name directory and the newest trades. Implemented over
 * Redis (store/dashboard-reads-redis.ts) and in memory (store/dashboard-reads-memory.ts); the
 * name directory and the recent-trades list are fed by thin wrappers around Members and
 * TradeRecords (name-directory.ts, recent-trades.ts).
 */
import type { MemberId } from "../ledger.ts";

export interface MemberPage {
  members: MemberId[];
  /** Opaque cursor of the next page; absent on the last one. */
  next?: string;
}

export interface DashboardReads {
  /** Members with a journal, `count` or so at a time, in the store's own order. */
  memberPage(cursor: string | undefined, count: number): Promise<MemberPage>;
  /** Members with a journal. */
  memberCount(): Promise<number>;
  /** How many entries a member's journal holds (the newest entry's id). */
  journalLength(memberId: MemberId): Promise<number>;
  /** Remembers a member's display name for search. */
  noteName(memberId: MemberId, name: string): Promise<void>;
  /** Members whose display name starts with `prefix` (case-insensitive). */
  searchNames(prefix: string, limit: number): Promise<MemberId[]>;
  /** Keeps the set of members whose DMs fail. */
  noteUnreachable(memberId: MemberId, unreachable: boolean): Promise<void>;
  unreachable(limit: number): Promise<MemberId[]>;
  /** Remembers a started trade, newest first, for the recent trades page. */
  noteTrade(externalId: string): Promise<void>;
  recentTrades(limit: number): Promise<string[]>;
}

/** How many recent trades are remembered. */
export const RECENT_TRADES_KEPT = 2000;

/** Names are matched lower-cased and without surrounding spaces. */
export function nameKey(name: string): string {
  return name.trim().toLocaleLowerCase("en");
}
