/**
 * Plans a withdrawal: the approval callback (hold the price of exactly the items the trade
 * buys, or reject) and every later status into item transitions (see `transitions.ts`).
 */
import { isTerminal, type TradeStatus } from "../../assetpay/schemas.ts";
import type { NoticeKind } from "../notifications.ts";
import { BALANCE_AFTER_CENTS } from "../trade-book.ts";
import type { RecordItem } from "../trade-records.ts";
import { adminAlerts, baseNotice, type Draft, moneyKey, move, notifyOnce, priceOf } from "./draft.ts";
import { eventOf, WITHDRAW_EDGES, type WithdrawPhase } from "./transitions.ts";

const phaseOf = (item: RecordItem): WithdrawPhase =>
  (item.state?.phase as WithdrawPhase | undefined) ?? "open";

export type ApprovalAnswer = { approve: true } | { approve: false; reason: string };

export interface ApprovalFacts {
  /** The member is locked, or their withdrawals are. */
  locked: boolean;
  paused: boolean;
  /** The previous attempt's holds did not fit the balance. */
  insufficient: boolean;
}

/** The approval step: the answer, and (in the draft) what to commit with it. */
export function planApproval(d: Draft, facts: ApprovalFacts): ApprovalAnswer {
  const { record, trade, progress } = d;
  if (progress.verdict === "approved") return { approve: true };
  if (progress.verdict === "rejected") return { approve: false, reason: progress.reason ?? "rejected" };
  const reject = (reason: string): ApprovalAnswer => {
    progress.verdict = "rejected";
    progress.reason = reason;
    d.verdicts.push({
      tradeId: trade.id,
      verdict: "rejected",
      reason,
      memberId: record.memberId,
      at: new Date(d.policy.now()).toISOString(),
    });
    d.changed = true;
    return { approve: false, reason };
  };
  if (record.kind !== "withdraw") return reject("unknown-intent");
  if (record.source !== trade.source) return reject("source-mismatch");
  // The trade must buy listings the member confirmed and that no other trade holds already.
  const wanted = new Map(record.items.map((i) => [i.id, i]));
  const got = trade.items.map((i) => wanted.get(i.id));
  if (got.length === 0 || got.some((i) => i === undefined || phaseOf(i) !== "open"))
    return reject("intent-mismatch");
  const items = got as RecordItem[];
  if (record.source === "self") {
    // Paid by the merchant wallet: nothing to hold; the admin's stored intent is the authorisation.
    progress.verdict = "approved";
    record.selfApproved = [...(record.selfApproved ?? []), trade.id];
    d.changed = true;
    return { approve: true };
  }
  if (facts.locked) return reject("member-locked");
  if (facts.paused) return reject("withdrawals-paused");
  const amount = items.reduce((sum, i) => sum + priceOf(i), 0);
  if (facts.insufficient) {
    const answer = reject("insufficient");
    notifyOnce(d, `${trade.id}:rejected`, {
      ...baseNotice(trade, "withdraw.rejected"),
      reason: "insufficient",
      amountCents: amount,
      balanceCents: BALANCE_AFTER_CENTS,
      items: items.map((i) => i.name),
    });
    return answer;
  }
  for (const item of items) {
    move(d, "hold", {
      key: moneyKey(d, item, "hold"),
      memberId: record.memberId,
      amountCents: priceOf(item),
      reason: "withdrawal-hold",
      tradeId: trade.id,
      itemId: item.id,
      meta: { externalId: record.externalId },
    });
    item.state = { phase: "held", tradeId: trade.id };
  }
  progress.verdict = "approved";
  d.verdicts.push({
    tradeId: trade.id,
    verdict: "approved",
    memberId: record.memberId,
    amountCents: amount,
    at: new Date(d.policy.now()).toISOString(),
  });
  return { approve: true };
}

/** What AssetPay says happened to one held item, if it is an outcome. */
function outcomeOf(d: Draft, item: RecordItem): TradeStatus | undefined {
  const { trade } = d;
  // A reversal of the trade reaches every item, delivered ones included.
  if (trade.status === "reverted") return "reverted";
  const wire = trade.items.find((i) => i.id === item.id);
  if (wire?.status && isTerminal(wire.status)) return wire.status;
  if (isTerminal(trade.status)) return wire ? trade.status : "canceled"; // dropped: never bought
  return undefined;
}

const STATUS_NOTICE: Partial<Record<TradeStatus, NoticeKind>> = {
  pending: "withdraw.approved",
  active: "withdraw.offer",
  hold: "withdraw.hold",
  completed: "withdraw.completed",
  failed: "withdraw.failed",
  canceled: "withdraw.failed",
  declined: "withdraw.failed",
  reverted: "withdraw.failed",
};

export function planWithdraw(d: Draft, rejectedBecause: string | undefined): void {
  const { record, trade, progress } = d;
  const names = trade.items.map((i) => record.items.find((r) => r.id === i.id)?.name ?? i.name);
  if (progress.verdict !== "approved") {
    // Nothing was held, so nothing moves; the member still hears that it did not happen.
    if (isTerminal(trade.status))
      notifyOnce(d, `${trade.id}:rejected`, {
        ...baseNotice(trade, "withdraw.rejected"),
        reason: progress.reason ?? rejectedBecause ?? trade.error ?? "MERCHANT_REJECTED",
        items: names,
      });
    return;
  }
  const held = record.items.filter((i) => i.state?.tradeId === trade.id);
  for (const item of held) settleItem(d, item);
  const kind = STATUS_NOTICE[trade.status];
  if (!kind) return;
  const delivered = held.filter((i) => phaseOf(i) === "settled").reduce((sum, i) => sum + priceOf(i), 0);
  const refunded = held
    .filter((i) => phaseOf(i) === "refunded" || phaseOf(i) === "refundedAfterReversal")
    .reduce((sum, i) => sum + priceOf(i), 0);
  const all = held.reduce((sum, i) => sum + priceOf(i), 0);
  notifyOnce(d, `${trade.id}:${trade.status}`, {
    ...baseNotice(trade, kind),
    amountCents: kind === "withdraw.completed" ? delivered : kind === "withdraw.failed" ? refunded : all,
    balanceCents: BALANCE_AFTER_CENTS,
    items: names,
    ...(trade.error ? { reason: trade.error } : {}),
  });
}

function settleItem(d: Draft, item: RecordItem): void {
  const { record, trade } = d;
  const status = outcomeOf(d, item);
  const event = status ? eventOf(status) : undefined;
  const edge = event ? WITHDRAW_EDGES[phaseOf(item)][event] : undefined;
  if (!status || !edge) return;
  const price = priceOf(item);
  const wire = trade.items.find((i) => i.id === item.id);
  const fields = {
    memberId: record.memberId,
    amountCents: price,
    tradeId: trade.id,
    itemId: item.id,
    ...(wire?.error ? { meta: { error: wire.error } } : {}),
  };
  if (edge.move === "settle") {
    move(d, "settle", { ...fields, key: moneyKey(d, item, "settle"), reason: "withdrawal" });
  } else if (edge.move === "release") {
    move(d, "release", {
      ...fields,
      key: moneyKey(d, item, "refund"),
      reason: `withdrawal-refund-${status}`,
    });
  } else {
    // Steam took back a delivered item: the member gets its price back, moderators hear of it.
    move(d, "credit", { ...fields, key: moneyKey(d, item, "reversal"), reason: "withdrawal-reverted" });
    d.after.push(
      ...adminAlerts(d, `${trade.id}:item:${item.id}:reverted`, {
        ...baseNotice(trade, "admin.withdrawalReverted"),
        amountCents: price,
        balanceCents: BALANCE_AFTER_CENTS,
        memberId: record.memberId,
        items: [item.name],
      }).map((a) => ({ kind: "notice" as const, ...a })),
    );
  }
  item.state = { phase: edge.to, tradeId: item.state?.tradeId ?? trade.id };
  d.changed = true;
  // The whole trade failing gets one notice; a lone item's refund gets its own.
  if (edge.move !== "settle" && !["failed", "canceled", "declined", "reverted"].includes(trade.status)) {
    notifyOnce(d, `${trade.id}:item:${item.id}:refund`, {
      ...baseNotice(trade, "withdraw.itemRefunded"),
      amountCents: price,
      balanceCents: BALANCE_AFTER_CENTS,
      items: [item.name],
      status,
      ...(wire?.error ? { reason: wire.error } : {}),
    });
  }
}
