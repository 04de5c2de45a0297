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
import { type Draft, openDraft, type SettlementPolicy, touchDisplay } from "./settlement/draft.ts";
import { isLegacyBasket, upgradeLegacyBasket } from "./settlement/legacy.ts";
import { planSelf } from "./settlement/self-trade.ts";
import { nextWatch } from "./settlement/watch.ts";
import { type ApprovalAnswer, planApproval, planWithdraw } from "./settlement/withdraw.ts";
import {
  type AfterCommit,
  fillBalanceAfterIn,
  type StoredTrade,
  type TradeBook,
  type WatchChange,
} from "./trade-book.ts";
import { COMMIT_ATTEMPTS, CommitContention, type TradeRecord } from "./trade-records.ts";

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

const MONEY_WORDS: Record<string, string> = {
  "deposit-precredit": "deposit pre-credited",
  deposit: "deposit credited",
  "deposit-reverted": "deposit reverted",
  "deposit-failed-after-credit": "deposit failed after credit",
  "withdrawal-hold": "withdrawal held",
  withdrawal: "withdrawal settled",
  "withdrawal-reverted": "withdrawal reverted and refunded",
};

export function createSettlement(deps: SettlementDeps): Settlement {
  const { ledger, book, logger, policy } = deps;

  const doneLater: string[] = [];
  const flushDone = async () => {
    const keys = doneLater.splice(0, doneLater.length);
    if (keys.length > 0) await book.done(keys);
  };

  const carryOut = async (entries: AfterCommit[]) => {
    for (const e of entries) {
      if (e.kind === "notice")
        await deps.queue.enqueue({
          key: e.key,
          recipient: e.recipient,
          payload: e.payload,
          ...(e.fromTrade ? { fromTrade: true } : {}),
        });
      else if (e.kind === "audit") await deps.community.append(e.event);
      else if (typeof e.balanceCents === "number" && e.balanceCents < 0) {
        await deps.members.update(e.memberId, (p) => {
          p.withdrawalsLocked ??= {
            reason: `negative balance after reverted trade ${e.tradeId}`,
            at: new Date(policy.now()).toISOString(),
          };
          return p;
        });
        for (const alert of e.alerts) await deps.queue.enqueue(alert);
      }
    }
    // Marked done with the next commit (one round trip fewer per callback); until then a drain
    // would only carry them out again, which each kind shrugs off by its key.
    doneLater.push(...entries.map((e) => e.key));
  };

  const logMoney = (d: Draft) => {
    for (const m of d.moves) {
      const reason = m.input.reason.startsWith("withdrawal-refund")
        ? "withdrawal refunded"
        : MONEY_WORDS[m.input.reason];
      logger.info(
        {
          memberId: m.input.memberId,
          tradeId: m.input.tradeId,
          externalId: d.record.externalId,
          itemId: m.input.itemId,
          op: m.op,
          amountCents: m.input.amountCents,
        },
        reason ?? m.input.reason,
      );
    }
  };

  /**
   * Read → plan → commit-if-unchanged, again on a conflict. `plan` fills the draft (and may
   * return an answer); `insufficient` tells it the previous plan's holds did not fit.
   */
  const transact = async <T, F = undefined>(
    externalId: string,
    trade: Trade,
    plan: (d: Draft, insufficient: boolean, facts: F) => T,
    /** Reads a plan needs besides the basket, done once per attempt before planning. */
    prepare?: (record: TradeRecord) => F | Promise<F>,
    /** The basket as already read while finding it: the first attempt plans on it. */
    first?: StoredTrade,
  ): Promise<{ answer: T; record: TradeRecord } | undefined> => {
    let insufficient = false;
    let readAhead = first;
    for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      // The book hands out a private copy: the draft may change it freely.
      const stored = readAhead ?? (await book.get(externalId));
      readAhead = undefined;
      if (!stored) return undefined;
      const record = stored.record;
      if (isLegacyBasket(record)) await upgradeLegacyBasket(record, ledger);
      // Awaited only when a read is actually needed (most transitions need none).
      const pending = prepare?.(record);
      const facts = (pending instanceof Promise ? await pending : pending) as F;
      const d = openDraft(record, trade, policy);
      const answer = plan(d, insufficient, facts);
      touchDisplay(d);
      if (!d.changed && stored.version > 0) return { answer, record };
      const watch = [nextWatch(record, trade.id, policy)];
      if (trade.externalId && trade.externalId !== trade.id)
        watch.push({ ref: trade.externalId, dueAt: null });
      const relayDone = doneLater.slice(0, 100);
      const result = await book.commit({
        externalId,
        expectedVersion: stored.version,
        record,
        moves: d.moves,
        verdicts: d.verdicts,
        links: d.links,
        watch,
        after: d.after,
        relayDone,
      });
      if (result.status === "conflict") continue;
      doneLater.splice(0, relayDone.length);
      if (result.status === "insufficient") {
        insufficient = true;
        continue;
      }
      logMoney(d);
      // The draft is this attempt's own: its entries are filled in place, not copied.
      await carryOut(fillBalanceAfterIn(d.after, result.balance.availableCents));
      return { answer, record };
    }
    throw new CommitContention(externalId);
  };

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
      await flushDone();
      for (let round = 0; round < 100; round++) {
        const entries = await book.pending(100);
        if (entries.length === 0) break;
        await carryOut(entries);
        await flushDone();
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
