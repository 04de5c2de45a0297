/**
 * The members' money: per member an `available` and a `held` balance in integer cents, and an
 * append-only journal. Every move is keyed; a key is applied at most once, and the move, its
 * dedupe mark and its journal entry land in one atomic step, so a duplicated, reordered or
 * retried callback (or two instances racing) never moves money twice.
 *
 * Two implementations share this contract and one test suite: `store/ledger-redis.ts` (Lua on
 * the shared Redis client) and `store/ledger-memory.ts` (for the demo and ephemeral runs).
 */
import type { Cents } from "../base/money.ts";

/** `discord:<userId>` or `telegram:<userId>`. */
export type MemberId = string;

export type LedgerOp = "credit" | "debit" | "hold" | "settle" | "release" | "adjust";

export interface Balance {
  availableCents: Cents;
  heldCents: Cents;
}

/** JSON-serializable context stored with an entry (prices, item names, the callback's delivery id…). */
export type LedgerMeta = Record<string, unknown>;

interface MoveFields {
  /** Idempotency key, e.g. `trade:<tradeId>:item:<itemId>:settle`. */
  key: string;
  memberId: MemberId;
  reason: string;
  tradeId?: string;
  itemId?: string;
  /** Who caused it when not AssetPay: `admin:discord:123`, `system:reconciler`. */
  actor?: string;
  meta?: LedgerMeta;
}

/** `amountCents` is a positive safe integer. */
export interface MoveInput extends MoveFields {
  amountCents: Cents;
}

export interface DebitInput extends MoveInput {
  /** A deposit revert takes back what was credited even when it was already spent. */
  allowNegative: boolean;
}

export interface AdjustInput extends MoveFields {
  /** Signed, never zero: positive adds to `available`, negative takes from it. */
  amountCents: Cents;
  actor: string;
  /** A negative adjustment below zero is refused unless this is set. */
  allowNegative?: boolean;
}

/**
 * `duplicate`: the key was applied before (nothing moved this time). `insufficient`: the move
 * would take `available` (or `held`) below zero; nothing was written and the key stays unused,
 * so the same key may succeed later.
 */
export type Refusal = "duplicate" | "insufficient";

export type MoveResult =
  | { applied: true; balance: Balance; entry: LedgerEntry }
  | { applied: false; balance: Balance; refused: Refusal };

/**
 * Joining two wallets of one person: everything `fromId` has available moves to `toId`, one
 * journal entry on each side, in one atomic step. `amountCents` is the available balance the
 * caller read (it may be negative: a debt follows the person); the move is refused `changed` if
 * `from` no longer has exactly that, and `held` while `from` has money held by a trade in flight.
 */
export interface TransferInput {
  key: string;
  fromId: MemberId;
  toId: MemberId;
  amountCents: Cents;
  reason: string;
  actor: string;
}

export type TransferResult =
  | { applied: true; entries: LedgerEntry[] }
  | { applied: false; refused: "duplicate" | "changed" | "held" };

export interface LedgerEntry {
  /** 1, 2, 3… per member, in the order the moves were applied. */
  id: number;
  key: string;
  memberId: MemberId;
  op: LedgerOp;
  availableDeltaCents: Cents;
  heldDeltaCents: Cents;
  reason: string;
  tradeId?: string;
  itemId?: string;
  actor?: string;
  meta?: LedgerMeta;
  /** ISO 8601. */
  at: string;
}

export type Verdict = "approved" | "rejected";

/** The answer given to a withdrawal's approval callback, remembered per AssetPay trade id. */
export interface TradeVerdict {
  tradeId: string;
  verdict: Verdict;
  /** Why it was rejected: `insufficient`, `unknown-intent`, `member-locked`… */
  reason?: string;
  memberId?: MemberId;
  amountCents?: Cents;
  /** The key of the hold an approval made. */
  key?: string;
  meta?: LedgerMeta;
  at: string;
}

/** `fresh` is false when the verdict already existed and was returned unchanged. */
export type VerdictResult = TradeVerdict & { fresh: boolean };

export type ApprovalResult = VerdictResult & { balance: Balance };

export interface ApprovalInput {
  tradeId: string;
  memberId: MemberId;
  amountCents: Cents;
  /** Key of the hold, e.g. `trade:<tradeId>:hold`. */
  key: string;
  /** Journal reason of the hold; `withdrawal` when omitted. */
  reason?: string;
  actor?: string;
  meta?: LedgerMeta;
}

export interface JournalQuery {
  /** Newest first, at most this many (default 50, capped at 1000). */
  limit?: number;
  /** Only entries with an id below this one (the last id of the previous page). */
  before?: number;
}

export interface LedgerTotals extends Balance {
  /** Members that have at least one journal entry. */
  members: number;
}

export interface Ledger {
  /** available += amount. */
  credit(input: MoveInput): Promise<MoveResult>;
  /** available -= amount; refused `insufficient` below zero unless `allowNegative`. */
  debit(input: DebitInput): Promise<MoveResult>;
  /** available -= amount, held += amount; refused `insufficient` when available < amount. */
  hold(input: MoveInput): Promise<MoveResult>;
  /** held -= amount: the item was delivered, the money leaves. Refused when held < amount. */
  settle(input: MoveInput): Promise<MoveResult>;
  /** held -= amount, available += amount: a refund. Refused when held < amount. */
  release(input: MoveInput): Promise<MoveResult>;
  /** Admin correction of `available`, journaled with its actor. */
  adjust(input: AdjustInput): Promise<MoveResult>;
  /**
   * The withdrawal approval step, atomically: an existing verdict for the trade is returned
   * unchanged; otherwise the amount is held and `approved` stored if `available` covers it,
   * else `rejected` (reason `insufficient`) is stored and nothing moves.
   */
  decideApproval(input: ApprovalInput): Promise<ApprovalResult>;
  /** Stores a rejection decided elsewhere (unknown intent, locked member) unless a verdict exists. */
  recordVerdict(
    tradeId: string,
    verdict: "rejected",
    reason: string,
    extra?: { memberId?: MemberId; meta?: LedgerMeta },
  ): Promise<VerdictResult>;
  verdict(tradeId: string): Promise<TradeVerdict | undefined>;
  balance(memberId: MemberId): Promise<Balance>;
  journal(memberId: MemberId, query?: JournalQuery): Promise<LedgerEntry[]>;
  hasApplied(key: string): Promise<boolean>;
  /** Sum over all members: what the community owes its members. */
  totals(): Promise<LedgerTotals>;
  /** Every member with a journal, sorted. */
  members(): Promise<MemberId[]>;
  /** Moves a whole available balance between two wallets of one person (see TransferInput). */
  transfer(input: TransferInput): Promise<TransferResult>;
}

/** What each operation does to `available` and `held` for a positive amount (adjust: signed). */
export function moveDeltas(op: LedgerOp, amount: Cents): [available: Cents, held: Cents] {
  switch (op) {
    case "credit":
    case "adjust":
      return [amount, 0];
    case "debit":
      return [-amount, 0];
    case "hold":
      return [-amount, amount];
    case "settle":
      return [0, -amount];
    case "release":
      return [amount, -amount];
  }
}

export const JOURNAL_DEFAULT_LIMIT = 50;
export const JOURNAL_MAX_LIMIT = 1000;
