/**
 * Settlement: an AssetPay trade state (from a callback or the reconciler) → ledger effects and
 * member notifications, following DESIGN.md "Money and the ledger".
 *
 * Safety comes in three layers: every ledger move carries a deterministic idempotency key
 * (`trade:<id>:...`), so a replay moves nothing; the effects of one trade are serialised under
 * a lease lock shared by every instance, so reordered callbacks racing on two listeners see
 * each other's work; and a trade's terminal outcome closes it, so a late, stale status can't
 * reopen it. Notifications are enqueued by key after the effects, every time: a replay after a
 * crash between the two re-enqueues the one that was lost, and the outbox drops duplicates.
 */
import type { Logger } from "pino";
import { type Item, isTerminal, type Trade, type TradeStatus } from "../assetpay/schemas.ts";
import type { Locks } from "../store/locks.ts";
import type { TradeIndex } from "../store/trade-index.ts";
import type { CommunityLog } from "./community-log.ts";
import type { Ledger, MemberId, MoveResult } from "./ledger.ts";
import { type Members, parseMemberId } from "./members.ts";
import { applyBps, type Cents } from "./money.ts";
import type { Notice, NoticeKind, NoticeQueue, Recipient } from "./notifications.ts";
import { effectsOf, type TradeEffects, type TradeRecord, type TradeRecords } from "./trade-records.ts";

export interface SettlementDeps {
  ledger: Ledger;
  records: TradeRecords;
  queue: NoticeQueue;
  locks: Locks;
  members: Members;
  index: TradeIndex;
  logger: Logger;
  /** Credit `preCredit` when an instant deposit enters hold. */
  instantCredit: boolean;
  /** Fee in basis points taken from deposit offers (for items the record does not price). */
  feeBps: number;
  adminRecipients: Recipient[];
  /** Is a withdrawal currently paused by an admin? Checked again at approval time. */
  withdrawalsPaused: () => Promise<boolean>;
  community: CommunityLog;
}

export type ApprovalAnswer = { approve: true } | { approve: false; reason: string };

export type ApplyOutcome = "applied" | "unknown-trade" | "ignored";

const STATUS_RANK: Record<TradeStatus, number> = {
  initiated: 0,
  pending: 1,
  active: 2,
  hold: 3,
  completed: 4,
  failed: 4,
  canceled: 4,
  declined: 4,
  reverted: 5,
};

const FAILED_ITEM_STATUSES: readonly TradeStatus[] = ["failed", "canceled", "declined", "reverted"];

export interface Settlement {
  /** The withdrawal approval callback: atomically hold the member's price, or reject. */
  approve(trade: Trade): Promise<ApprovalAnswer>;
  /** Any other trade state: apply its ledger effects once and enqueue the notifications. */
  apply(trade: Trade, origin: { deliveryId?: string; via: "callback" | "reconciler" }): Promise<ApplyOutcome>;
}

export function isApprovalRequest(trade: Trade): boolean {
  return trade.type === "withdraw" && trade.status === "initiated";
}

export function createSettlement(deps: SettlementDeps): Settlement {
  const { ledger, records, queue, locks, members, index, logger } = deps;

  const notify = async (record: TradeRecord, key: string, notice: Notice) => {
    const target = record.recipientId ?? record.memberId;
    const parsed = parseMemberId(target);
    if (!parsed) return;
    await queue.enqueue({
      key: `n:${key}`,
      recipient: { platform: parsed.platform, userId: parsed.userId },
      payload: notice,
    });
  };

  const notifyAdmins = async (key: string, notice: Notice) => {
    for (const admin of deps.adminRecipients) {
      await queue.enqueue({
        key: `n:${key}:${admin.platform}:${admin.userId}`,
        recipient: admin,
        payload: notice,
      });
    }
  };

  const base = (trade: Trade, kind: NoticeKind): Notice => ({
    kind,
    tradeId: trade.id,
    game: trade.game,
    status: trade.status,
    ...(trade.offerId ? { offerId: trade.offerId } : {}),
    ...(trade.holdEndDate ? { holdEndDate: trade.holdEndDate } : {}),
  });

  /** The member price of one trade item: as confirmed in the picker, else AssetPay's minus our fee. */
  const memberPrice = (record: TradeRecord, item: Item): Cents => {
    const known = record.items.find((i) => i.id === item.id);
    if (known) return known.memberPriceCents * (item.amount || known.amount || 1);
    const price = item.priceCents ?? 0;
    const fee = record.kind === "deposit" ? -deps.feeBps : deps.feeBps;
    return applyBps(price, fee) * (item.amount || 1);
  };

  const memberTotal = (record: TradeRecord, trade: Trade): Cents => {
    // A withdrawal's hold is the confirmed total; a deposit trade is priced by its own items so
    // that each trade of a split basket credits just its part.
    if (record.kind === "withdraw" || trade.items.length === 0) return record.totalCents;
    return trade.items.reduce((sum, item) => sum + memberPrice(record, item), 0);
  };

  /** AssetPay's pre-credit scaled to the member's price (the two differ by the community fee). */
  const memberPreCredit = (trade: Trade, total: Cents): Cents => {
    const pre = trade.preCreditCents ?? 0;
    if (pre <= 0 || trade.totalCents <= 0) return 0;
    return Math.min(total, Math.floor((pre * total) / trade.totalCents));
  };

  const itemNames = (record: TradeRecord, trade: Trade): string[] =>
    trade.items.map((i) => record.items.find((r) => r.id === i.id)?.name ?? i.name);

  const applied = (r: MoveResult) => r.applied || r.refused === "duplicate";

  // ---------------------------------------------------------------------------------------------
  // Deposits

  const settleDeposit = async (record: TradeRecord, trade: Trade, fx: TradeEffects) => {
    const memberId = record.memberId;
    const total = memberTotal(record, trade);
    const names = itemNames(record, trade);
    const preKey = `trade:${trade.id}:precredit`;
    const creditKey = `trade:${trade.id}:credit`;
    const revertKey = `trade:${trade.id}:revert`;

    switch (trade.status) {
      case "initiated":
      case "pending":
        return;
      case "active":
        if (fx.closed) return;
        await notify(record, `${trade.id}:active`, {
          ...base(trade, "deposit.offer"),
          amountCents: total,
          items: names,
        });
        return;
      case "hold": {
        if (fx.closed) return;
        let amount: Cents | undefined;
        let balance: Cents | undefined;
        const memberPre = memberPreCredit(trade, total);
        if (deps.instantCredit && record.instant && memberPre > 0 && !(await ledger.hasApplied(creditKey))) {
          const r = await ledger.credit({
            key: preKey,
            memberId,
            amountCents: memberPre,
            reason: "deposit-precredit",
            tradeId: trade.id,
            meta: { preCredit: trade.preCreditCents ?? 0, total },
          });
          if (applied(r)) {
            fx.preCreditedCents = memberPre;
            fx.creditedCents = Math.max(fx.creditedCents, memberPre);
            amount = memberPre;
            balance = r.balance.availableCents;
          }
        }
        await notify(record, `${trade.id}:hold`, {
          ...base(trade, "deposit.hold"),
          ...(amount !== undefined
            ? { amountCents: amount, balanceCents: balance, pendingCents: total - amount }
            : {}),
          items: names,
        });
        return;
      }
      case "completed": {
        if (fx.closed) return;
        const pre = (await ledger.hasApplied(preKey)) ? memberPreCredit(trade, total) : 0;
        const rest = total - pre;
        let balance: Cents | undefined;
        if (rest > 0) {
          const r = await ledger.credit({
            key: creditKey,
            memberId,
            amountCents: rest,
            reason: "deposit",
            tradeId: trade.id,
            meta: { total, preCredited: pre },
          });
          balance = r.balance.availableCents;
        }
        fx.creditedCents = total;
        fx.closed = true;
        balance ??= (await ledger.balance(memberId)).availableCents;
        await notify(record, `${trade.id}:completed`, {
          ...base(trade, "deposit.credited"),
          amountCents: rest,
          balanceCents: balance,
          items: names,
        });
        return;
      }
      case "reverted":
      case "failed":
      case "declined":
      case "canceled": {
        // A failure after the trade closed is stale; a reversal after completion is not.
        if (fx.closed && (trade.status !== "reverted" || fx.creditedCents === 0)) return;
        // Derived from the ledger's keys, not from counters, so a crash between the ledger
        // write and the record write cannot make it take back the wrong amount.
        const credited = (await ledger.hasApplied(creditKey))
          ? total
          : (await ledger.hasApplied(preKey))
            ? memberPreCredit(trade, total)
            : 0;
        let debited = 0;
        let balance = (await ledger.balance(memberId)).availableCents;
        if (credited > 0) {
          const r = await ledger.debit({
            key: revertKey,
            memberId,
            amountCents: credited,
            reason: trade.status === "reverted" ? "deposit-reverted" : "deposit-failed-after-credit",
            tradeId: trade.id,
            allowNegative: true,
            meta: { revertedBy: trade.revertedBy ?? null },
          });
          debited = credited;
          balance = r.balance.availableCents;
          if (balance < 0) {
            await members.update(memberId, (p) => {
              p.withdrawalsLocked ??= {
                reason: `negative balance after reverted trade ${trade.id}`,
                at: trade.updatedAt,
              };
              return p;
            });
            await notifyAdmins(`${trade.id}:negative`, {
              ...base(trade, "admin.negativeBalance"),
              amountCents: debited,
              balanceCents: balance,
              memberId,
            });
          }
        }
        fx.closed = true;
        fx.creditedCents = 0;
        const kind: NoticeKind = trade.status === "reverted" ? "deposit.reverted" : "deposit.failed";
        await notify(record, `${trade.id}:${trade.status}`, {
          ...base(trade, kind),
          amountCents: debited,
          balanceCents: balance,
          items: names,
          ...(trade.error ? { reason: trade.error } : {}),
        });
        return;
      }
    }
  };

  // ---------------------------------------------------------------------------------------------
  // Withdrawals

  const isApproved = async (record: TradeRecord, tradeId: string): Promise<boolean> => {
    if (record.source === "self") return (record.selfApproved ?? []).includes(tradeId);
    return (await ledger.verdict(tradeId))?.verdict === "approved";
  };

  const settleWithdraw = async (record: TradeRecord, trade: Trade, fx: TradeEffects) => {
    const memberId = record.memberId;
    const self = record.source === "self";
    const names = itemNames(record, trade);
    if (!(await isApproved(record, trade.id))) {
      // Nothing was held, so nothing moves; the member still hears that it did not happen.
      if (isTerminal(trade.status) && !self && !fx.closed) {
        const verdict = await ledger.verdict(trade.id);
        await notify(record, `${trade.id}:rejected`, {
          ...base(trade, "withdraw.rejected"),
          reason: verdict?.reason ?? trade.error ?? "MERCHANT_REJECTED",
          items: names,
        });
      }
      if (isTerminal(trade.status)) fx.closed = true;
      return;
    }

    // Per confirmed item, exactly one of settle (delivered) or release (refund), under one key.
    // Self-trades are paid from the merchant wallet: no member money moves for them.
    const outcomeOf = (itemId: string): TradeStatus | undefined => {
      const item = trade.items.find((i) => i.id === itemId);
      const status = item?.status ?? (isTerminal(trade.status) ? trade.status : undefined);
      if (status && isTerminal(status)) return status;
      // An item the trade no longer carries once it ended was never bought: refund it.
      if (!item && isTerminal(trade.status)) return "canceled";
      return undefined;
    };
    let delivered = 0;
    for (const confirmed of record.items) {
      const status = outcomeOf(confirmed.id);
      if (!status) continue;
      const price = confirmed.memberPriceCents * confirmed.amount;
      if (status === "completed") delivered += price;
      if (self) continue;
      const key = `trade:${trade.id}:item:${confirmed.id}:final`;
      if (status === "completed") {
        const r = await ledger.settle({
          key,
          memberId,
          amountCents: price,
          reason: "withdrawal",
          tradeId: trade.id,
          itemId: confirmed.id,
        });
        if (r.applied) fx.settledCents += price;
      } else if (FAILED_ITEM_STATUSES.includes(status)) {
        const item = trade.items.find((i) => i.id === confirmed.id);
        const r = await ledger.release({
          key,
          memberId,
          amountCents: price,
          reason: `withdrawal-refund-${status}`,
          tradeId: trade.id,
          itemId: confirmed.id,
          ...(item?.error ? { meta: { error: item.error } } : {}),
        });
        if (r.applied) fx.refundedCents += price;
        // The whole trade failing gets one notice below; a lone item's refund gets its own.
        if (!FAILED_ITEM_STATUSES.includes(trade.status)) {
          await notify(record, `${trade.id}:item:${confirmed.id}:refund`, {
            ...base(trade, "withdraw.itemRefunded"),
            amountCents: price,
            balanceCents: r.balance.availableCents,
            items: [confirmed.name],
            status,
            ...(item?.error ? { reason: item.error } : {}),
          });
        }
      }
    }
    if (isTerminal(trade.status)) fx.closed = true;

    const balance = self ? undefined : (await ledger.balance(memberId)).availableCents;
    const kinds: Partial<Record<TradeStatus, NoticeKind>> = {
      pending: "withdraw.approved",
      active: "withdraw.offer",
      hold: "withdraw.hold",
      completed: "withdraw.completed",
      failed: "withdraw.failed",
      canceled: "withdraw.failed",
      declined: "withdraw.failed",
      reverted: "withdraw.failed",
    };
    let kind = kinds[trade.status];
    if (self && record.recipientId && trade.status === "completed") kind = "gift.received";
    if (kind) {
      const refunded = record.totalCents - delivered;
      await notify(record, `${trade.id}:${trade.status}`, {
        ...base(trade, kind),
        amountCents:
          kind === "withdraw.completed"
            ? delivered
            : kind === "withdraw.failed"
              ? refunded
              : record.totalCents,
        ...(balance !== undefined ? { balanceCents: balance } : {}),
        items: names,
        ...(trade.error ? { reason: trade.error } : {}),
      });
    }
  };

  // ---------------------------------------------------------------------------------------------
  // Community self-trades: the merchant wallet pays or is credited; no member money moves. The
  // admin who started it follows its progress; a giveaway's recipient hears about the gift.

  const settleSelf = async (record: TradeRecord, trade: Trade, fx: TradeEffects) => {
    const kind = record.kind === "withdraw" ? "giveaway" : "liquidation";
    const names = itemNames(record, trade);
    if (record.kind === "withdraw" && !(await isApproved(record, trade.id)) && !isTerminal(trade.status))
      return;
    await deps.community.append({
      at: trade.updatedAt,
      tradeId: trade.id,
      externalId: record.externalId,
      kind,
      actor: record.actor ?? record.memberId,
      ...(record.recipientId ? { recipient: record.recipientId } : {}),
      status: trade.status,
      totalCents: trade.totalCents,
      items: names,
    });
    const adminNotice = async () => {
      const parsed = parseMemberId(record.memberId);
      if (!parsed) return;
      await queue.enqueue({
        key: `n:${trade.id}:${trade.status}:admin`,
        recipient: parsed,
        payload: {
          ...base(trade, "community.trade"),
          community: kind,
          amountCents: trade.totalCents,
          items: names,
          ...(trade.error ? { reason: trade.error } : {}),
        },
      });
    };
    if (trade.status !== "initiated") await adminNotice();
    if (record.recipientId && record.recipientId !== record.memberId) {
      if (trade.status === "active")
        await notify(record, `${trade.id}:active`, { ...base(trade, "gift.offer"), items: names });
      if (trade.status === "completed")
        await notify(record, `${trade.id}:completed`, { ...base(trade, "gift.received"), items: names });
    }
    if (isTerminal(trade.status)) fx.closed = true;
  };

  return {
    async approve(trade) {
      return locks.withLock(`trade:${trade.id}`, async () => {
        const known = await records.forTrade(trade);
        if (known?.source === "self" && (known.selfApproved ?? []).includes(trade.id))
          return { approve: true };
        const existing = await ledger.verdict(trade.id);
        if (existing) {
          return existing.verdict === "approved"
            ? { approve: true as const }
            : { approve: false as const, reason: existing.reason ?? "rejected" };
        }
        const reject = async (reason: string, memberId?: MemberId): Promise<ApprovalAnswer> => {
          const v = await ledger.recordVerdict(trade.id, "rejected", reason, memberId ? { memberId } : {});
          logger.warn(
            { tradeId: trade.id, externalId: trade.externalId, reason: v.reason },
            "withdrawal rejected",
          );
          return { approve: false, reason: v.reason ?? reason };
        };
        const record = known;
        if (record?.kind !== "withdraw") return reject("unknown-intent");
        if (record.source !== trade.source) return reject("source-mismatch", record.memberId);
        // The trade must buy exactly the listings the member confirmed, nothing else.
        const wanted = new Set(record.items.map((i) => i.id));
        const got = trade.items.map((i) => i.id);
        if (got.length === 0 || got.length > wanted.size || got.some((id) => !wanted.has(id))) {
          return reject("intent-mismatch", record.memberId);
        }
        if (record.source === "self") {
          // Paid by the merchant wallet: nothing to hold; the admin's stored intent is the authorisation.
          record.selfApproved = [...(record.selfApproved ?? []), trade.id];
          if (record.phase === "started") record.phase = "open";
          await records.save(record);
          await index.add(trade.id);
          return { approve: true };
        }
        const profile = await members.get(record.memberId);
        if (profile.locked || profile.withdrawalsLocked) return reject("member-locked", record.memberId);
        if (await deps.withdrawalsPaused()) return reject("withdrawals-paused", record.memberId);
        const result = await ledger.decideApproval({
          tradeId: trade.id,
          memberId: record.memberId,
          amountCents: record.totalCents,
          key: `trade:${trade.id}:hold`,
          reason: "withdrawal-hold",
          meta: { externalId: record.externalId, items: record.items.length },
        });
        record.status = "initiated";
        if (record.phase === "started") record.phase = "open";
        await records.save(record);
        await index.add(trade.id);
        if (result.verdict === "approved") return { approve: true };
        logger.info(
          { tradeId: trade.id, memberId: record.memberId },
          "withdrawal rejected: insufficient balance",
        );
        await notify(record, `${trade.id}:rejected`, {
          ...base(trade, "withdraw.rejected"),
          reason: result.reason ?? "insufficient",
          amountCents: record.totalCents,
          balanceCents: result.balance.availableCents,
          items: itemNames(record, trade),
        });
        return { approve: false, reason: result.reason ?? "insufficient" };
      });
    },

    async apply(trade, origin) {
      return locks.withLock(`trade:${trade.id}`, async () => {
        const record = await records.forTrade(trade);
        if (!record) {
          logger.warn(
            { tradeId: trade.id, externalId: trade.externalId, via: origin.via },
            "callback for a trade we did not start",
          );
          return "unknown-trade";
        }
        if (isApprovalRequest(trade)) return "ignored";
        const fx = effectsOf(record, trade.id);
        if (record.source === "self") await settleSelf(record, trade, fx);
        else if (record.kind === "deposit") await settleDeposit(record, trade, fx);
        else await settleWithdraw(record, trade, fx);
        // Shown in /trades: never let a late, stale status move the display backwards.
        if (record.status === undefined || STATUS_RANK[trade.status] >= STATUS_RANK[record.status]) {
          record.status = trade.status;
        }
        if (trade.offerId) record.offerId = trade.offerId;
        if (record.phase === "started") record.phase = "open";
        if (Object.values(record.effects).every((e) => e.closed)) record.phase = "closed";
        await records.save(record);
        if (fx.closed) await index.remove(trade.id);
        else await index.add(trade.id);
        logger.debug(
          { tradeId: trade.id, status: trade.status, via: origin.via, deliveryId: origin.deliveryId },
          "trade state applied",
        );
        return "applied";
      });
    },
  };
}
