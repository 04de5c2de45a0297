/**
 * Baskets written before per-item state machines kept per-trade counters (`effects`) and keyed
 * their ledger moves by AssetPay trade id. The first time settlement meets such a basket it
 * derives each item's state from what the ledger actually applied under those old keys, so an
 * upgraded basket neither repeats nor forgets a move.
 */
import type { Ledger } from "../ledger.ts";
import type { TradeProgress, TradeRecord } from "../trade-records.ts";
import { priceOf } from "./draft.ts";

/** Checked before upgrading, so the settlement path awaits nothing for a current basket. */
export function isLegacyBasket(record: TradeRecord): boolean {
  return record.trades === undefined && record.effects !== undefined;
}

export async function upgradeLegacyBasket(record: TradeRecord, ledger: Ledger): Promise<void> {
  if (!isLegacyBasket(record) || !record.effects) return;
  record.trades = {};
  // The old approval step wrote no effects entry: the basket's own trade id counts too.
  const ids = new Set([...Object.keys(record.effects), ...(record.tradeId ? [record.tradeId] : [])]);
  for (const tradeId of ids) {
    const fx = record.effects[tradeId] ?? { closed: false };
    const progress: TradeProgress = {
      status: record.status ?? "pending",
      items: record.items.map((i) => i.id),
      notified: [],
    };
    const verdict = await ledger.verdict(tradeId);
    if (verdict) {
      progress.verdict = verdict.verdict;
      if (verdict.reason) progress.reason = verdict.reason;
    }
    if (record.source === "self" && (record.selfApproved ?? []).includes(tradeId))
      progress.verdict = "approved";
    record.trades[tradeId] = progress;
    if (record.source !== "client") continue;
    if (record.kind === "deposit") await upgradeDeposit(record, tradeId, fx.closed, ledger);
    else if (progress.verdict === "approved") await upgradeWithdraw(record, tradeId, ledger);
  }
  delete record.effects;
}

async function upgradeDeposit(record: TradeRecord, tradeId: string, closed: boolean, ledger: Ledger) {
  const { items } = record;
  const applied = (edge: string) => ledger.hasApplied(`trade:${tradeId}:${edge}`);
  if (await applied("revert")) {
    for (const i of items) i.state = { phase: "clawedBack", creditedCents: 0, tradeId };
  } else if (await applied("credit")) {
    for (const i of items) i.state = { phase: "credited", creditedCents: priceOf(i), tradeId };
  } else if (await applied("precredit")) {
    // The old pre-credit was one amount for the whole trade: spread it back over the items so
    // the completion credits exactly the rest.
    const journal = await ledger.journal(record.memberId, { limit: 1000 });
    const pre = journal.find((e) => e.key === `trade:${tradeId}:precredit`)?.availableDeltaCents ?? 0;
    const total = items.reduce((s, i) => s + priceOf(i), 0);
    let left = pre;
    items.forEach((item, n) => {
      const share = n === items.length - 1 ? left : Math.floor((pre * priceOf(item)) / Math.max(total, 1));
      left -= share;
      item.state = { phase: "precredited", creditedCents: share, tradeId };
    });
  } else if (closed) {
    for (const i of items) i.state = { phase: "failed", creditedCents: 0, tradeId };
  }
}

async function upgradeWithdraw(record: TradeRecord, tradeId: string, ledger: Ledger) {
  const journal = await ledger.journal(record.memberId, { limit: 1000 });
  for (const item of record.items) {
    const final = journal.find((e) => e.key === `trade:${tradeId}:item:${item.id}:final`);
    const phase = final?.op === "settle" ? "settled" : final?.op === "release" ? "refunded" : "held";
    item.state = { phase, tradeId };
  }
}
