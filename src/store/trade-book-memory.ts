/**
 * The in-process twin of the Redis trade book, for the demo and explicitly ephemeral runs. A
 * commit checks the version, applies the moves through the memory ledger's internals, and writes
 * everything else synchronously before its promise settles: one critical section, as the Lua
 * script is one atomic step in Redis. Records are kept as JSON, as Redis keeps them, so every reader gets its own copy.
 */
import type { MemberId } from "../core/ledger.ts";
import { type AfterCommit, fillBalanceAfterIn, type TradeBook } from "../core/trade-book.ts";
import type { TradeRecord } from "../core/trade-records.ts";
import type { MemoryLedger } from "./ledger-memory.ts";
import { planMoves, refusesAny } from "./trade-book-plan.ts";

export function createMemoryTradeBook(opts: { ledger: MemoryLedger; clock?: () => Date }): TradeBook {
  const { internals } = opts.ledger;
  const clock = opts.clock ?? (() => new Date());
  const trades = new Map<string, { v: number; r: string }>();
  const links = new Map<string, string>();
  const memberTrades = new Map<MemberId, string[]>();
  const watch = new Map<string, number>();
  const relay = new Map<string, AfterCommit>();

  return {
    async get(externalId) {
      const stored = trades.get(externalId);
      return stored ? { version: stored.v, record: JSON.parse(stored.r) as TradeRecord } : undefined;
    },

    async externalIdOf(tradeId) {
      return links.get(tradeId);
    },

    async commit(c) {
      const memberId = c.record.memberId;
      const moves = planMoves(c.moves ?? [], clock().toISOString());
      // From here to the return nothing awaits: the whole transition is one critical section.
      const version = trades.get(c.externalId)?.v ?? 0;
      if (version !== c.expectedVersion) return { status: "conflict" };
      const before = internals.balanceOf(memberId);
      if (refusesAny(before, moves, internals.isApplied)) return { status: "insufficient", balance: before };
      for (const move of moves) if (!internals.isApplied(move.key)) internals.write(move);
      for (const verdict of c.verdicts ?? []) internals.setVerdict(verdict.tradeId, JSON.stringify(verdict));
      for (const tradeId of c.links ?? []) if (!links.has(tradeId)) links.set(tradeId, c.externalId);
      for (const w of c.watch ?? []) {
        if (w.dueAt === null) watch.delete(w.ref);
        else watch.set(w.ref, w.dueAt);
      }
      for (const key of c.relayDone ?? []) relay.delete(key);
      const balance = internals.balanceOf(memberId);
      // Kept as the committed objects, the balance filled in (the caller sees the same filled
      // entries, as if it had read them back); a drain gets copies.
      for (const entry of fillBalanceAfterIn(c.after ?? [], balance.availableCents))
        relay.set(entry.key, entry);
      if (c.created) {
        // Oldest first here (an append, not a copy per trade); read back newest first.
        const list = memberTrades.get(memberId) ?? [];
        list.push(c.externalId);
        memberTrades.set(memberId, list);
      }
      trades.set(c.externalId, { v: version + 1, r: JSON.stringify(c.record) });
      return { status: "committed", version: version + 1, balance };
    },

    async memberTrades(memberId, limit) {
      const list = memberTrades.get(memberId) ?? [];
      return list.slice(Math.max(0, list.length - limit)).reverse();
    },

    async due(now, limit) {
      return [...watch.entries()]
        .filter(([, at]) => at <= now)
        .sort((a, b) => a[1] - b[1])
        .slice(0, limit)
        .map(([ref]) => ref);
    },

    async rewatch(change) {
      if (change.dueAt === null) watch.delete(change.ref);
      else watch.set(change.ref, change.dueAt);
    },

    async watchedCount() {
      return watch.size;
    },

    async pending(limit) {
      return [...relay.values()].slice(0, limit).map((entry) => structuredClone(entry));
    },

    async done(keys) {
      for (const key of keys) relay.delete(key);
    },
  };
}
