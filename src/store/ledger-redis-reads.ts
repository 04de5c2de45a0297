/**
 * What reads the Redis ledger without a script: balances, journals, verdicts, totals. Each is
 * one Redis command (or independent ones whose answers need not agree to the cent at one
 * instant), so none needs a script; every change goes through ledger-redis.ts's scripts.
 */
import type { Balance, Ledger, LedgerEntry, TradeVerdict } from "../core/ledger.ts";
import type { ledgerKeys } from "./ledger-keys.ts";
import { journalWindow, parseEntry } from "./ledger-plan.ts";
import { asInt } from "./lua-script.ts";
import type { RedisClient } from "./redis.ts";

/** A balance hash's `a` and `h` fields; a missing field is zero. */
function centsOf([a, h]: (string | null | undefined)[]): Balance {
  return {
    availableCents: a == null ? 0 : asInt(a, "available"),
    heldCents: h == null ? 0 : asInt(h, "held"),
  };
}

export function createLedgerReads(
  client: RedisClient,
  k: ReturnType<typeof ledgerKeys>,
): Pick<Ledger, "verdict" | "balance" | "journal" | "hasApplied" | "totals" | "members"> {
  return {
    async verdict(tradeId) {
      const json = await client.get(k.verdict(tradeId));
      return json === null ? undefined : (JSON.parse(json) as TradeVerdict);
    },

    async balance(memberId) {
      return centsOf(await client.hmGet(k.bal(memberId), ["a", "h"]));
    },

    async journal(memberId, query) {
      const { limit, before } = journalWindow(query);
      const length = await client.lLen(k.jrnl(memberId));
      const end = Math.min(length, before - 1);
      if (end < 1) return [];
      const start = Math.max(1, end - limit + 1);
      const rows = await client.lRange(k.jrnl(memberId), start - 1, end - 1);
      const out: LedgerEntry[] = rows.map((json, i) => parseEntry(json, start + i));
      return out.reverse();
    },

    async hasApplied(key) {
      return (await client.hExists(k.applied, key)) === 1;
    },

    async totals() {
      const [cents, members] = await Promise.all([
        client.hmGet(k.totals, ["a", "h"]),
        client.sCard(k.members),
      ]);
      return { ...centsOf(cents), members };
    },

    async members() {
      return (await client.sMembers(k.members)).sort();
    },
  };
}
