/**
 * The settlement's one way to change a basket: read → plan → commit-if-unchanged, again on a
 * conflict. The plan is made on a private copy of the basket; the commit names the version it
 * was read at, so a writer that stalled after its read can never move money on what it read.
 */
import type { Logger } from "pino";
import type { Trade } from "../../assetpay/schemas.ts";
import type { Ledger } from "../ledger.ts";
import { type CommitResult, fillBalanceAfterIn, type StoredTrade, type TradeBook } from "../trade-book.ts";
import { COMMIT_ATTEMPTS, CommitContention, type TradeRecord } from "../trade-records.ts";
import { type Draft, openDraft, type SettlementPolicy, touchDisplay } from "./draft.ts";
import { isLegacyBasket, upgradeLegacyBasket } from "./legacy.ts";
import { logMoney } from "./money-log.ts";
import type { Relay } from "./relay.ts";
import { nextWatch } from "./watch.ts";

export interface TransactDeps {
  book: TradeBook;
  ledger: Ledger;
  policy: SettlementPolicy;
  relay: Relay;
  logger: Logger;
}

export function createTransact(deps: TransactDeps) {
  const { book, ledger, policy, relay, logger } = deps;
  /**
   * Read → plan → commit-if-unchanged, again on a conflict. `plan` fills the draft (and may
   * return an answer); `insufficient` tells it the previous plan's holds did not fit.
   */
  return async <T, F = undefined>(
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
      const relayDone = relay.take();
      let result: CommitResult;
      try {
        result = await book.commit({
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
      } catch (err) {
        relay.giveBack(relayDone);
        throw err;
      }
      // Only a commit that went through marked them done (both books skip them otherwise).
      if (result.status !== "committed") relay.giveBack(relayDone);
      if (result.status === "conflict") continue;
      if (result.status === "insufficient") {
        insufficient = true;
        continue;
      }
      logMoney(logger, d);
      // The draft is this attempt's own: its entries are filled in place, not copied.
      await relay.carryOut(fillBalanceAfterIn(d.after, result.balance.availableCents));
      return { answer, record };
    }
    throw new CommitContention(externalId);
  };
}
