/**
 * Plans a deposit trade's status into item transitions (see `transitions.ts`) and the one
 * notice each status earns. Amounts are the member's prices as confirmed in the picker.
 */
import type { NoticeKind } from "../notifications.ts";
import { BALANCE_AFTER, BALANCE_AFTER_CENTS } from "../trade-book.ts";
import type { RecordItem } from "../trade-records.ts";
import {
  adminAlerts,
  baseNotice,
  carriedItems,
  type Draft,
  moneyKey,
  move,
  notifyOnce,
  priceOf,
} from "./draft.ts";
import { DEPOSIT_EDGES, type DepositPhase, eventOf } from "./transitions.ts";

const phaseOf = (item: RecordItem): DepositPhase => (item.state?.phase as DepositPhase | undefined) ?? "open";

export function planDeposit(d: Draft): void {
  const { trade } = d;
  const items = carriedItems(d);
  const names = items.map((i) => i.name);
  const total = items.reduce((sum, i) => sum + priceOf(i), 0);
  const moving = items.some((i) => phaseOf(i) === "open" || phaseOf(i) === "precredited");
  const event = eventOf(trade.status);

  if (event === undefined) {
    if (trade.status === "active" && moving)
      notifyOnce(d, `${trade.id}:active`, {
        ...baseNotice(trade, "deposit.offer"),
        amountCents: total,
        items: names,
      });
    return;
  }
  if (event === "hold") {
    if (!moving) return;
    const pre = preCredit(d, items, total);
    notifyOnce(d, `${trade.id}:hold`, {
      ...baseNotice(trade, "deposit.hold"),
      ...(pre > 0 ? { amountCents: pre, balanceCents: BALANCE_AFTER_CENTS, pendingCents: total - pre } : {}),
      items: names,
    });
    return;
  }
  if (event === "completed") {
    let credited = 0;
    for (const item of items) {
      const edge = DEPOSIT_EDGES[phaseOf(item)].completed;
      if (!edge) continue;
      const rest = priceOf(item) - (item.state?.creditedCents ?? 0);
      if (rest > 0) {
        move(d, "credit", {
          key: moneyKey(d, item, "credit"),
          memberId: d.record.memberId,
          amountCents: rest,
          reason: "deposit",
          tradeId: trade.id,
          itemId: item.id,
          meta: { externalId: d.record.externalId, price: priceOf(item) },
        });
        credited += rest;
      }
      item.state = { phase: edge.to, creditedCents: priceOf(item), tradeId: trade.id };
      d.changed = true;
    }
    if (credited > 0 || items.some((i) => phaseOf(i) === "credited"))
      notifyOnce(d, `${trade.id}:completed`, {
        ...baseNotice(trade, "deposit.credited"),
        amountCents: credited,
        balanceCents: BALANCE_AFTER_CENTS,
        items: names,
      });
    return;
  }
  undo(d, items, event);
}

/** Failure or reversal: claw back whatever each item was credited; nothing for items never credited. */
function undo(d: Draft, items: RecordItem[], event: "failed" | "reverted"): void {
  const { trade } = d;
  let debited = 0;
  let moved = false;
  for (const item of items) {
    const edge = DEPOSIT_EDGES[phaseOf(item)][event];
    if (!edge) continue;
    const credited = item.state?.creditedCents ?? 0;
    if (edge.move === "clawback" && credited > 0) {
      move(d, "debit", {
        key: moneyKey(d, item, "clawback"),
        memberId: d.record.memberId,
        amountCents: credited,
        reason: trade.status === "reverted" ? "deposit-reverted" : "deposit-failed-after-credit",
        tradeId: trade.id,
        itemId: item.id,
        allowNegative: true,
        meta: { externalId: d.record.externalId, revertedBy: trade.revertedBy ?? null },
      });
      debited += credited;
    }
    item.state = { phase: edge.to, creditedCents: 0, tradeId: trade.id };
    d.changed = true;
    moved = true;
  }
  if (!moved) return;
  const kind: NoticeKind = trade.status === "reverted" ? "deposit.reverted" : "deposit.failed";
  notifyOnce(d, `${trade.id}:${trade.status}`, {
    ...baseNotice(trade, kind),
    amountCents: debited,
    balanceCents: BALANCE_AFTER_CENTS,
    items: items.map((i) => i.name),
    ...(trade.error ? { reason: trade.error } : {}),
  });
  if (debited > 0) {
    d.after.push({
      kind: "negativeBalance",
      key: `negative:${trade.id}:${trade.status}`,
      memberId: d.record.memberId,
      tradeId: trade.id,
      balanceCents: BALANCE_AFTER,
      alerts: adminAlerts(d, `${trade.id}:negative`, {
        ...baseNotice(trade, "admin.negativeBalance"),
        amountCents: debited,
        balanceCents: BALANCE_AFTER_CENTS,
        memberId: d.record.memberId,
      }),
    });
  }
}

/**
 * AssetPay's pre-credit, scaled to the member's prices (the two differ by the community fee),
 * shared out over the items still open in proportion to their prices, cents handed out in item
 * order so the shares add up exactly to the trade's pre-credit.
 */
function preCredit(d: Draft, items: RecordItem[], total: number): number {
  const { trade, policy, record } = d;
  const pre = trade.preCreditCents ?? 0;
  if (!policy.instantCredit || !record.instant || pre <= 0 || trade.totalCents <= 0 || total <= 0) return 0;
  const open = items.filter((i) => phaseOf(i) === "open");
  if (open.length === 0) return 0;
  const openTotal = open.reduce((s, i) => s + priceOf(i), 0);
  const tradePre = Math.min(openTotal, Math.floor((pre * openTotal) / trade.totalCents));
  const shares = open.map((i) => Math.floor((tradePre * priceOf(i)) / openTotal));
  let left = tradePre - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0 && i < shares.length; i++) {
    const room = priceOf(open[i] as RecordItem) - (shares[i] as number);
    const give = Math.min(room, left);
    shares[i] = (shares[i] as number) + give;
    left -= give;
  }
  let sum = 0;
  open.forEach((item, i) => {
    const share = shares[i] as number;
    if (share <= 0) return;
    move(d, "credit", {
      key: moneyKey(d, item, "precredit"),
      memberId: record.memberId,
      amountCents: share,
      reason: "deposit-precredit",
      tradeId: trade.id,
      itemId: item.id,
      meta: { externalId: record.externalId, preCredit: pre, price: priceOf(item) },
    });
    item.state = { phase: "precredited", creditedCents: share, tradeId: trade.id };
    sum += share;
  });
  return sum;
}
