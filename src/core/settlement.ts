/**
 * Settlement: an AssetPay trade state (from a callback or the reconciler) → item transitions,
 * ledger moves and member notices, committed as one atomic step.
 *
 * Each call reads the basket and its version, plans the transition on a private copy
 * (`settlement/deposit.ts`, `withdraw.ts`, `self-trade.ts`, over the table in
 * `settlement/transitions.ts`), and commits the plan through the trade book only if the version
 * is still the one it read. A conflict means another instance (or a callback racing this one)
 * got there first: read again, plan again. So an instance that stalls for a minute between its
 * read and its write can never move money on what it read: its commit is refused. No lock is
 * needed for correctness; none is taken.
 *
 * What must follow a commit (notices, the community audit, a negative-balance lock) is stored
 * by the commit itself and carried out right after, and again by `drain` (at start-up and on
 * every reconcile pass) if a crash came in between. Each is idempotent by key.
 */
import type { Logger } from "pino";
import { isTerminal, type Trade } from "../assetpay/schemas.ts";
import type { CommunityLog } from "./community-log.ts";
import type { Ledger } from "./ledger.ts";
import type { Members } from "./members.ts";
import type { NoticeQueue } from "./notifications.ts";
import { planDeposit } from "./settlement/deposit.ts";
import type { SettlementPolicy } from "./settlement/draft.ts";
import { createRelay } from "./settlement/relay.ts";
import { planSelf } from "./settlement/self-trade.ts";
import { createTransact } from "./settlement/transact.ts";
import { nextWatch } from "./settlement/watch.ts";
import { type ApprovalAnswer, planApproval, planWithdraw } from "./settlement/withdraw.ts";
import type { StoredTrade, TradeBook, WatchChange } from "./trade-book.ts";

export type { SettlementPolicy } from "./settlement/draft.ts";
export type { ApprovalAnswer } from "./settlement/withdraw.ts";

export interface SettlementDeps {
  ledger: Ledger;
  book: TradeBook;
  queue: NoticeQueue;
  members: Members;
  community: CommunityLog;
  logger: Logger;
  policy: SettlementPolicy;
  /** Is a withdrawal currently paused by an admin? Checked again at approval time. */
  withdrawalsPaused: () => Promise<boolean>;
}

export type ApplyOutcome = "applied" | "unknown-trade" | "ignored";

export interface Settlement {
  /** The withdrawal approval callback: atomically hold the member's price, or reject. */
  approve(trade: Trade): Promise<ApprovalAnswer>;
  /** Any other trade state: apply its transitions once and produce the notices. */
  apply(trade: Trade, origin: { deliveryId?: string; via: "callback" | "reconciler" }): Promise<ApplyOutcome>;
  /** Carries out after-commit work a crash left behind; resolves with how much it did. */
  drain(): Promise<number>;
  /** The reconciler's next look at a trade it just saw change nothing. */
  watchAfterLook(tradeId: string): Promise<WatchChange | undefined>;
}

export function isApprovalRequest(trade: Trade): boolean {
  return trade.type === "withdraw" && trade.status === "initiated";
}

export function createSettlement(deps: SettlementDeps): Settlement {
  const { ledger, book, logger, policy } = deps;

  const relay = createRelay({
    book,
    queue: deps.queue,
    members: deps.members,
    community: deps.community,
    now: policy.now,
  });
  const transact = createTransact({ book, ledger, policy, relay, logger });

  /**
   * The basket a trade belongs to: the one its id was linked to, else the one its externalId
   * names. Both are read at once (one round trip on Redis); in the common case they are the same
   * basket and the read serves as the first attempt's.
   */
  const locate = async (trade: Trade): Promise<{ externalId: string; stored?: StoredTrade } | undefined> => {
    const [linked, named] = await Promise.all([
      book.externalIdOf(trade.id),
      trade.externalId ? book.get(trade.externalId) : undefined,
    ]);
    if (linked !== undefined)
      return linked === trade.externalId && named
        ? { externalId: linked, stored: named }
        : { externalId: linked };
    return trade.externalId && named ? { externalId: trade.externalId, stored: named } : undefined;
  };

  return {
    async approve(trade) {
      const found = await locate(trade);
      const externalId = found?.externalId;
      const reject = async (reason: string): Promise<ApprovalAnswer> => {
        const v = await ledger.recordVerdict(trade.id, "rejected", reason);
        logger.warn(
          { tradeId: trade.id, externalId: trade.externalId, reason: v.reason },
          "withdrawal rejected",
        );
        return { approve: false, reason: v.reason ?? reason };
      };
      if (!externalId) return reject("unknown-intent");
      const first = found?.stored ?? (await book.get(externalId));
      if (!first) return reject("unknown-intent");
      const memberId = first.record.memberId;
      const [profile, paused] = await Promise.all([deps.members.get(memberId), deps.withdrawalsPaused()]);
      const facts = { locked: Boolean(profile.locked || profile.withdrawalsLocked), paused };
      const done = await transact(
        externalId,
        trade,
        (d, insufficient) => planApproval(d, { ...facts, insufficient }),
        undefined,
        first,
      );
      const answer = done?.answer ?? { approve: false as const, reason: "unknown-intent" };
      logger.info(
        { tradeId: trade.id, externalId, memberId, ...(answer.approve ? {} : { reason: answer.reason }) },
        answer.approve ? "withdrawal approved" : "withdrawal rejected",
      );
      return answer;
    },

    async apply(trade, origin) {
      const found = await locate(trade);
      if (!found) {
        logger.warn(
          { tradeId: trade.id, externalId: trade.externalId, via: origin.via },
          "callback for a trade we did not start",
        );
        return "unknown-trade";
      }
      if (isApprovalRequest(trade)) return "ignored";
      const done = await transact(
        found.externalId,
        trade,
        (d, _insufficient, rejectedBecause: string | undefined) => {
          if (d.record.source === "self") planSelf(d);
          else if (d.record.kind === "deposit") planDeposit(d);
          else planWithdraw(d, rejectedBecause);
        },
        // A rejection decided before the basket knew this trade (unknown intent) is the ledger's.
        (record) =>
          record.kind === "withdraw" &&
          record.trades?.[trade.id]?.verdict === undefined &&
          isTerminal(trade.status)
            ? ledger.verdict(trade.id).then((v) => v?.reason)
            : undefined,
        found.stored,
      );
      if (!done) return "unknown-trade";
      logger.debug(
        { tradeId: trade.id, status: trade.status, via: origin.via, deliveryId: origin.deliveryId },
        "trade state applied",
      );
      return "applied";
    },

    async drain() {
      let total = 0;
      await relay.flush();
      for (let round = 0; round < 100; round++) {
        const entries = await book.pending(100);
        if (entries.length === 0) break;
        await relay.carryOut(entries);
        await relay.flush();
        total += entries.length;
      }
      return total;
    },

    async watchAfterLook(tradeId) {
      const externalId = await book.externalIdOf(tradeId);
      const stored = externalId ? await book.get(externalId) : undefined;
      if (!stored) return undefined;
      return nextWatch(stored.record, tradeId, policy);
    },
  };
}
