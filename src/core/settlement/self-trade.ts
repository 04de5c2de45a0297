/**
 * Community self-trades (giveaways bought with the merchant wallet, liquidations sold into it):
 * no member money moves. Each status earns one audit line, one notice to the admin who started
 * it, and for a giveaway the recipient's offer and arrival notices.
 */
import { isTerminal } from "../../assetpay/schemas.ts";
import { parseMemberId } from "../members.ts";
import { baseNotice, carriedItems, type Draft, notifyOnce } from "./draft.ts";

export function planSelf(d: Draft): void {
  const { record, trade, progress } = d;
  const kind = record.kind === "withdraw" ? "giveaway" : "liquidation";
  if (record.kind === "withdraw" && progress.verdict !== "approved" && !isTerminal(trade.status)) return;
  const names = carriedItems(d).map((i) => i.name);
  const lineKey = `audit:${trade.id}:${trade.status}`;
  if (!progress.notified.includes(lineKey)) {
    progress.notified.push(lineKey);
    d.changed = true;
    d.after.push({
      kind: "audit",
      key: lineKey,
      event: {
        at: trade.updatedAt,
        tradeId: trade.id,
        externalId: record.externalId,
        kind,
        actor: record.actor ?? record.memberId,
        ...(record.recipientId ? { recipient: record.recipientId } : {}),
        status: trade.status,
        totalCents: trade.totalCents,
        items: names,
      },
    });
  }
  if (trade.status !== "initiated" && parseMemberId(record.memberId)) {
    notifyOnce(
      d,
      `${trade.id}:${trade.status}:admin`,
      {
        ...baseNotice(trade, "community.trade"),
        community: kind,
        amountCents: trade.totalCents,
        items: names,
        ...(trade.error ? { reason: trade.error } : {}),
      },
      record.memberId,
    );
  }
  if (record.recipientId && record.recipientId !== record.memberId) {
    if (trade.status === "active")
      notifyOnce(d, `${trade.id}:active`, { ...baseNotice(trade, "gift.offer"), items: names });
    if (trade.status === "completed")
      notifyOnce(d, `${trade.id}:completed`, { ...baseNotice(trade, "gift.received"), items: names });
  }
}
