/**
 * After-commit work (notices, community audit lines, the negative-balance lock), carried out
 * right after the commit that stored it, and again by a drain if a crash came in between. Each
 * kind is idempotent by its key, so carrying one out twice is harmless. What was carried out is
 * marked done with the next commit (one round trip fewer per callback).
 */
import type { CommunityLog } from "../community-log.ts";
import type { Members } from "../members.ts";
import type { NoticeQueue } from "../notifications.ts";
import type { AfterCommit, TradeBook } from "../trade-book.ts";

export interface RelayDeps {
  book: TradeBook;
  queue: NoticeQueue;
  members: Members;
  community: CommunityLog;
  now: () => number;
}

export interface Relay {
  carryOut(entries: AfterCommit[]): Promise<void>;
  /**
   * Keys carried out but not yet marked done, taken for the next commit to mark (at most 100):
   * two commits in flight at once never take the same keys.
   */
  take(): string[];
  /** Keys a commit did not mark after all (a conflict, a refusal, an error): taken again later. */
  giveBack(keys: string[]): void;
  /** Marks everything carried out done now (the drain). */
  flush(): Promise<void>;
}

export function createRelay(deps: RelayDeps): Relay {
  const doneLater: string[] = [];

  async function carryOne(e: AfterCommit): Promise<void> {
    if (e.kind === "notice") {
      await deps.queue.enqueue({
        key: e.key,
        recipient: e.recipient,
        payload: e.payload,
        ...(e.fromTrade ? { fromTrade: true } : {}),
      });
    } else if (e.kind === "audit") {
      await deps.community.append(e.event);
    } else if (typeof e.balanceCents === "number" && e.balanceCents < 0) {
      await deps.members.update(e.memberId, (p) => {
        p.withdrawalsLocked ??= {
          reason: `negative balance after reverted trade ${e.tradeId}`,
          at: new Date(deps.now()).toISOString(),
        };
        return p;
      });
      for (const alert of e.alerts) await deps.queue.enqueue(alert);
    }
  }

  return {
    async carryOut(entries) {
      for (const e of entries) await carryOne(e);
      // Until the next commit marks them done a drain would only carry them out again.
      doneLater.push(...entries.map((e) => e.key));
    },
    take: () => doneLater.splice(0, 100),
    giveBack(keys) {
      doneLater.unshift(...keys);
    },
    async flush() {
      const keys = doneLater.splice(0, doneLater.length);
      if (keys.length > 0) await deps.book.done(keys);
    },
  };
}
