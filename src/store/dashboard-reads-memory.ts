/** The in-process twin of the dashboard's Redis reads, over the memory ledger. */
import { type DashboardReads, nameKey, RECENT_TRADES_KEPT } from "../core/dashboard/read-model.ts";
import type { Ledger } from "../core/ledger.ts";

export function createMemoryDashboardReads(ledger: Ledger): DashboardReads {
  const names = new Map<string, string>();
  const trades: string[] = [];
  const unreachable = new Set<string>();
  return {
    async memberPage(cursor, count) {
      const all = await ledger.members();
      const from = Number(cursor ?? "0") || 0;
      const members = all.slice(from, from + count);
      return from + count < all.length ? { members, next: String(from + count) } : { members };
    },
    async memberCount() {
      return (await ledger.totals()).members;
    },
    async journalLength(memberId) {
      return (await ledger.journal(memberId, { limit: 1 }))[0]?.id ?? 0;
    },
    async noteName(memberId, name) {
      names.set(memberId, nameKey(name));
    },
    async searchNames(prefix, limit) {
      const p = nameKey(prefix);
      if (p === "") return [];
      return [...names]
        .filter(([, n]) => n.startsWith(p))
        .map(([m]) => m)
        .slice(0, limit);
    },
    async noteUnreachable(memberId, on) {
      if (on) unreachable.add(memberId);
      else unreachable.delete(memberId);
    },
    async unreachable(limit) {
      return [...unreachable].slice(0, limit);
    },
    async noteTrade(externalId) {
      trades.unshift(externalId);
      trades.length = Math.min(trades.length, RECENT_TRADES_KEPT);
    },
    async recentTrades(limit) {
      return trades.slice(0, limit);
    },
  };
}
