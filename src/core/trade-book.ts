/**
 * The port settlement commits through: one trade basket (our `externalId`) stored with a
 * version, and one `commit` that applies a whole transition atomically — the ledger moves, the
 * basket's new state, the approval verdicts, the trade-id links, the reconciler's watch list
 * and the after-commit effects (notices, audit lines, locks) — but only if the stored version is
 * still the one the transition was computed from. A stale writer gets `conflict` and recomputes
 * from fresh state; it can never move money on what it read before a stall.
 *
 * `store/trade-book-redis.ts` does it in one Lua script, `store/trade-book-memory.ts` in one
 * synchronous critical section; both share the ledger's planner, so the twins agree on
 * arithmetic and refusals.
 */

import type { TradeRecord } from "./basket.ts";
import type { CommunityEvent } from "./community-log.ts";
import type { Balance, DebitInput, LedgerOp, MemberId, MoveInput, TradeVerdict } from "./ledger.ts";
import type { Notice, Recipient } from "./notifications.ts";

/** A stored basket and the version a commit must name to replace it (0: never committed). */
export interface StoredTrade {
  record: TradeRecord;
  version: number;
}

export interface MovePlan {
  op: Exclude<LedgerOp, "adjust">;
  input: MoveInput | DebitInput;
}

/** Written where a ledger balance is wanted in an after-commit payload: the store substitutes
 * the member's `available` cents as they stand right after the commit's moves. */
export const BALANCE_AFTER = "__balance_after__";

/** `BALANCE_AFTER` where a payload field is typed as cents: the store replaces it before anyone reads it. */
export const BALANCE_AFTER_CENTS = BALANCE_AFTER as unknown as number;

/**
 * Puts the post-commit balance where after-commit work asked for it, in place (the Redis
 * commit script does the same to the JSON it stores). The placeholder only ever stands for a
 * whole field of a notice's payload or of the negative-balance step, so only those fields are
 * looked at.
 */
export function fillBalanceAfterIn(entries: AfterCommit[], availableCents: number): AfterCommit[] {
  const fill = (fields: object) => {
    const record = fields as Record<string, unknown>;
    for (const key in record) if (record[key] === BALANCE_AFTER) record[key] = availableCents;
  };
  for (const entry of entries) {
    if (entry.kind === "notice") fill(entry.payload);
    else if (entry.kind === "audit") fill(entry.event);
    else {
      fill(entry);
      for (const alert of entry.alerts) fill(alert.payload);
    }
  }
  return entries;
}

/**
 * Work that must follow a committed transition exactly once in effect. It is stored by the
 * commit itself (so a crash right after the commit loses none of it) and then carried out by
 * whoever drains the relay; every kind is idempotent by its key, so carrying one out twice is
 * harmless.
 */
export type AfterCommit =
  | {
      kind: "notice";
      key: string;
      recipient: Recipient;
      payload: Notice;
      /** The recipient is the chat identity the trade was started from (see notice-routing). */
      fromTrade?: boolean;
    }
  | { kind: "audit"; key: string; event: CommunityEvent }
  | {
      /** Lock withdrawals and alert moderators when the member's balance ended below zero. */
      kind: "negativeBalance";
      key: string;
      memberId: MemberId;
      tradeId: string;
      balanceCents: number | typeof BALANCE_AFTER;
      alerts: { key: string; recipient: Recipient; payload: Notice }[];
    };

export interface WatchChange {
  /** An AssetPay trade id, or our externalId while the trade id is unknown. */
  ref: string;
  /** When the reconciler should next look (epoch ms), or null to stop watching. */
  dueAt: number | null;
}

export interface TradeCommit {
  externalId: string;
  expectedVersion: number;
  record: TradeRecord;
  /** All for `record.memberId`; applied in order, all or nothing. */
  moves?: MovePlan[];
  /** Verdicts to store for approval callbacks (written once per trade id). */
  verdicts?: TradeVerdict[];
  /** AssetPay trade ids that belong to this basket. */
  links?: string[];
  watch?: WatchChange[];
  after?: AfterCommit[];
  /** First commit of a basket: add it to the member's trade list. */
  created?: boolean;
  /** After-commit work (of any basket) carried out since: marked done along with this commit. */
  relayDone?: string[];
}

export type CommitResult =
  | { status: "committed"; version: number; balance: Balance }
  /** The stored version moved on: re-read and recompute. */
  | { status: "conflict" }
  /** A move would take a balance below zero: nothing was written. */
  | { status: "insufficient"; balance: Balance };

export interface TradeBook {
  /** A private copy: the caller may change it. */
  get(externalId: string): Promise<StoredTrade | undefined>;
  /** The basket an AssetPay trade id was linked to. */
  externalIdOf(tradeId: string): Promise<string | undefined>;
  commit(commit: TradeCommit): Promise<CommitResult>;
  /** A member's baskets, newest first. */
  memberTrades(memberId: MemberId, limit: number): Promise<string[]>;
  /** Refs the reconciler should look at now (due at or before `now`), oldest due first. */
  due(now: number, limit: number): Promise<string[]>;
  /** Reschedules (or, with null, drops) a watched ref outside a commit: the reconciler's pace. */
  rewatch(change: WatchChange): Promise<void>;
  watchedCount(): Promise<number>;
  /** After-commit work not yet carried out, oldest first. */
  pending(limit: number): Promise<AfterCommit[]>;
  /** Marks after-commit work done. */
  done(keys: string[]): Promise<void>;
}
