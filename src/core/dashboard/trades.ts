/**
 * Trades for the dashboard: those in flight (on the reconciler's watch list, not yet closed) and the most recent ones,
 * filtered by state, kind, member and game. A trade in flight is stuck when it has not reached a
 * state that legitimately waits (Steam's hold) within STUCK_AFTER_MS of being started.
 */
import type { TradeStatus } from "../../assetpay/schemas.ts";
import type { TradeRecord, TradeRecords } from "../trade-records.ts";
import type { DashboardReads } from "./read-model.ts";

export const STUCK_AFTER_MS = 30 * 60_000;
const RECENT_SCANNED = 200;

export interface TradeFilter {
  state?: string;
  kind?: string;
  member?: string;
  game?: string;
}

export interface TradeRow {
  record: TradeRecord;
  inFlight: boolean;
  ageMs: number;
  stuck: boolean;
}

export interface TradeIndexReader {
  list(): Promise<string[]>;
}

function matches(record: TradeRecord, f: TradeFilter): boolean {
  if (f.kind && record.kind !== f.kind) return false;
  if (f.game && record.game !== f.game) return false;
  if (f.state && (record.status ?? record.phase) !== f.state) return false;
  if (f.member && !record.memberId.toLowerCase().includes(f.member.toLowerCase())) return false;
  return true;
}

export function isStuck(record: TradeRecord, ageMs: number): boolean {
  const waiting: (TradeStatus | undefined)[] = ["hold"];
  return ageMs > STUCK_AFTER_MS && !waiting.includes(record.status);
}

export async function tradeRows(
  deps: { records: TradeRecords; index: TradeIndexReader; reads: DashboardReads; now: () => number },
  filter: TradeFilter,
): Promise<{ inFlight: TradeRow[]; recent: TradeRow[] }> {
  const refs = await deps.index.list();
  const flying = await Promise.all(
    refs.map(async (ref) => (await deps.records.byTradeId(ref)) ?? deps.records.byExternalId(ref)),
  );
  const seen = new Set<string>();
  const row = (record: TradeRecord, inFlight: boolean): TradeRow => {
    const ageMs = deps.now() - Date.parse(record.createdAt);
    return { record, inFlight, ageMs, stuck: inFlight && isStuck(record, ageMs) };
  };
  const inFlight: TradeRow[] = [];
  for (const record of flying) {
    if (!record || record.phase === "closed" || seen.has(record.externalId)) continue;
    seen.add(record.externalId);
    if (matches(record, filter)) inFlight.push(row(record, true));
  }
  inFlight.sort((a, b) => b.ageMs - a.ageMs);
  const ids = await deps.reads.recentTrades(RECENT_SCANNED);
  const recentRecords = await Promise.all(ids.map((id) => deps.records.byExternalId(id)));
  const recent = recentRecords
    .filter((r): r is TradeRecord => r !== undefined && !seen.has(r.externalId) && matches(r, filter))
    .map((r) => row(r, false));
  return { inFlight, recent };
}
