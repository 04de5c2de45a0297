/**
 * What both ledger implementations agree on before touching storage: input validation, the
 * balance deltas of each operation, the refusal rule, and the journal entry to write. The
 * Redis Lua scripts apply exactly these deltas and this rule, so the twins cannot drift on
 * arithmetic.
 */
import {
  type AdjustInput,
  type ApprovalInput,
  type Balance,
  type DebitInput,
  JOURNAL_DEFAULT_LIMIT,
  JOURNAL_MAX_LIMIT,
  type JournalQuery,
  type Ledger,
  type LedgerEntry,
  type LedgerOp,
  type MoveInput,
  moveDeltas,
  type TradeVerdict,
  type TransferInput,
} from "../core/ledger.ts";

export interface PlannedMove {
  key: string;
  memberId: string;
  availableDeltaCents: number;
  heldDeltaCents: number;
  allowNegative: boolean;
  /** The journal entry as stored: everything but the id, which the store assigns. */
  entryJson: string;
}

export interface PlannedApproval {
  hold: PlannedMove;
  amountCents: number;
  approvedJson: string;
  rejectedJson: string;
}

type AnyMoveInput = MoveInput | DebitInput | AdjustInput;

function requireText(value: unknown, what: string): string {
  if (typeof value !== "string" || value.length === 0)
    throw new TypeError(`${what} must be a non-empty string`);
  return value;
}

/** Positive (or, for adjustments, non-zero) safe integer cents; anything else never reaches storage. */
export function requireCents(amount: unknown, signed = false): number {
  if (typeof amount !== "number" || !Number.isSafeInteger(amount)) {
    throw new RangeError(`amount must be a safe integer number of cents, got ${String(amount)}`);
  }
  if (signed ? amount === 0 : amount <= 0) {
    throw new RangeError(`amount must be ${signed ? "non-zero" : "positive"}, got ${amount}`);
  }
  return amount;
}

export function planMove(op: LedgerOp, input: AnyMoveInput, at: string): PlannedMove {
  const key = requireText(input.key, "key");
  const memberId = requireText(input.memberId, "memberId");
  requireText(input.reason, "reason");
  if (op === "adjust") requireText(input.actor, "actor");
  const amount = requireCents(input.amountCents, op === "adjust");
  const [availableDeltaCents, heldDeltaCents] = moveDeltas(op, amount);
  const allowNegative = "allowNegative" in input && input.allowNegative === true;
  const entry: Omit<LedgerEntry, "id"> = {
    key,
    memberId,
    op,
    availableDeltaCents,
    heldDeltaCents,
    reason: input.reason,
    at,
  };
  if (input.tradeId !== undefined) entry.tradeId = input.tradeId;
  if (input.itemId !== undefined) entry.itemId = input.itemId;
  if (input.actor !== undefined) entry.actor = input.actor;
  if (input.meta !== undefined) entry.meta = input.meta;
  return {
    key,
    memberId,
    availableDeltaCents,
    heldDeltaCents,
    allowNegative,
    entryJson: JSON.stringify(entry),
  };
}

/** The one refusal rule (mirrored in the Redis script): no balance may drop below zero unless allowed. */
export function refuses(balance: Balance, move: PlannedMove): boolean {
  const available = balance.availableCents + move.availableDeltaCents;
  const held = balance.heldCents + move.heldDeltaCents;
  if (move.availableDeltaCents < 0 && !move.allowNegative && available < 0) return true;
  return move.heldDeltaCents < 0 && held < 0;
}

export function planApproval(input: ApprovalInput, at: string): PlannedApproval {
  const tradeId = requireText(input.tradeId, "tradeId");
  const hold = planMove(
    "hold",
    {
      key: input.key,
      memberId: input.memberId,
      amountCents: input.amountCents,
      reason: input.reason ?? "withdrawal",
      tradeId,
      actor: input.actor,
      meta: input.meta,
    },
    at,
  );
  const base = { tradeId, memberId: hold.memberId, amountCents: input.amountCents, key: hold.key };
  const approved: TradeVerdict = { ...base, verdict: "approved", at };
  const rejected: TradeVerdict = { ...base, verdict: "rejected", reason: "insufficient", at };
  if (input.meta !== undefined) {
    approved.meta = input.meta;
    rejected.meta = input.meta;
  }
  return {
    hold,
    amountCents: input.amountCents,
    approvedJson: JSON.stringify(approved),
    rejectedJson: JSON.stringify(rejected),
  };
}

export function planRejection(
  tradeId: string,
  reason: string,
  at: string,
  extra: { memberId?: string; meta?: Record<string, unknown> } = {},
): string {
  requireText(tradeId, "tradeId");
  requireText(reason, "reason");
  const verdict: TradeVerdict = { tradeId, verdict: "rejected", reason, at };
  if (extra.memberId !== undefined) verdict.memberId = extra.memberId;
  if (extra.meta !== undefined) verdict.meta = extra.meta;
  return JSON.stringify(verdict);
}

export function journalWindow(query: JournalQuery = {}): { limit: number; before: number } {
  const limit = query.limit ?? JOURNAL_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`journal limit must be a positive integer`);
  const before = query.before ?? Number.POSITIVE_INFINITY;
  if (before !== Number.POSITIVE_INFINITY && (!Number.isInteger(before) || before < 1)) {
    throw new RangeError(`journal cursor must be a positive integer entry id`);
  }
  return { limit: Math.min(limit, JOURNAL_MAX_LIMIT), before };
}

/** Restores a stored entry; the id is its 1-based position in the member's journal. */
export function parseEntry(json: string, id: number): LedgerEntry {
  return { id, ...(JSON.parse(json) as Omit<LedgerEntry, "id">) };
}

export interface PlannedTransfer {
  key: string;
  fromId: string;
  toId: string;
  amountCents: number;
  /** The two journal entries as stored (the store assigns ids): out of `from`, into `to`. */
  outJson: string;
  inJson: string;
}

/** A transfer's entries; an amount of zero moves nothing and writes no entry. */
export function planTransfer(input: TransferInput, at: string): PlannedTransfer {
  const key = requireText(input.key, "key");
  const fromId = requireText(input.fromId, "fromId");
  const toId = requireText(input.toId, "toId");
  if (fromId === toId) throw new RangeError("a transfer needs two different wallets");
  requireText(input.reason, "reason");
  requireText(input.actor, "actor");
  const amount = input.amountCents;
  if (typeof amount !== "number" || !Number.isSafeInteger(amount))
    throw new RangeError(`amount must be a safe integer number of cents, got ${String(amount)}`);
  const entry = (memberId: string, delta: number, meta: Record<string, unknown>): string => {
    const e: Omit<LedgerEntry, "id"> = {
      key,
      memberId,
      op: delta >= 0 ? "credit" : "debit",
      availableDeltaCents: delta,
      heldDeltaCents: 0,
      reason: input.reason,
      actor: input.actor,
      meta,
      at,
    };
    return JSON.stringify(e);
  };
  return {
    key,
    fromId,
    toId,
    amountCents: amount,
    outJson: entry(fromId, -amount, { to: toId }),
    inJson: entry(toId, amount, { from: fromId }),
  };
}

/**
 * A ledger's six move methods from its one way of applying a planned move: every operation is
 * the same plan-then-apply, only the operation differs.
 */
export function moveMethods(move: (op: LedgerOp) => Ledger["credit"]): Pick<Ledger, LedgerOp> {
  return {
    credit: move("credit"),
    debit: move("debit"),
    hold: move("hold"),
    settle: move("settle"),
    release: move("release"),
    adjust: move("adjust"),
  };
}
