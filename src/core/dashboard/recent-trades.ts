/**
 * Feeds the dashboard's recent trades: wraps TradeRecords so every trade the bot starts is also
 * noted, newest first, in a bounded list. TradeRecords keeps only per-member histories.
 */
import type { TradeRecords } from "../trade-records.ts";
import type { DashboardReads } from "./read-model.ts";

export function withRecentTrades(records: TradeRecords, reads: DashboardReads): TradeRecords {
  return {
    ...records,
    async create(record) {
      await records.create(record);
      await reads.noteTrade(record.externalId);
    },
  };
}
