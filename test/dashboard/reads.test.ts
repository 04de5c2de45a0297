/**
 * The dashboard's paged reads, on Redis and in memory alike, the wrappers that feed them, and
 * the CSV shape spreadsheets open safely.
 */
import { randomUUID } from "node:crypto";
import { Keyv } from "keyv";
import { afterAll, describe, expect, inject, it } from "vitest";
import {
  csvRow,
  csvText,
  dollars,
  ExportTooLarge,
  ledgerCsv,
  memberJournalCsv,
} from "../../src/core/dashboard/csv.ts";
import { withMemberDirectory } from "../../src/core/dashboard/member-directory.ts";
import { type DashboardReads, RECENT_TRADES_KEPT } from "../../src/core/dashboard/read-model.ts";
import { isStuck, STUCK_AFTER_MS } from "../../src/core/dashboard/trades.ts";
import type { Ledger } from "../../src/core/ledger.ts";
import { createMembers } from "../../src/core/members.ts";
import type { TradeRecord } from "../../src/core/trade-records.ts";
import { createMemoryDashboardReads } from "../../src/store/dashboard-reads-memory.ts";
import { createRedisDashboardReads } from "../../src/store/dashboard-reads-redis.ts";
import { createMemoryLedger } from "../../src/store/ledger-memory.ts";
import { createRedisLedger } from "../../src/store/ledger-redis.ts";
import { connectRedis } from "../../src/store/redis.ts";

const redis = await connectRedis(inject("redisUrl"));
afterAll(() => redis.close());

const backends: Record<string, () => { ledger: Ledger; reads: DashboardReads }> = {
  memory: () => {
    const ledger = createMemoryLedger();
    return { ledger, reads: createMemoryDashboardReads(ledger) };
  },
  redis: () => {
    const prefix = `reads-${randomUUID().slice(0, 8)}:`;
    return {
      ledger: createRedisLedger({ client: redis, prefix }),
      reads: createRedisDashboardReads(redis, prefix),
    };
  },
};

const credit = (ledger: Ledger, memberId: string, n: number, cents = 100) =>
  ledger.credit({ key: `k:${memberId}:${n}`, memberId, amountCents: cents, reason: "deposit" });

describe.each(Object.entries(backends))("dashboard reads (%s)", (_name, make) => {
  it("page through every member exactly once", async () => {
    const { ledger, reads } = make();
    for (let i = 0; i < 237; i++) await credit(ledger, `telegram:${i}`, 1);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await reads.memberPage(cursor, 50);
      seen.push(...page.members);
      cursor = page.next;
      pages++;
    } while (cursor !== undefined && pages < 100);
    expect(new Set(seen).size).toBe(237);
    expect(seen).toHaveLength(237);
    expect(await reads.memberCount()).toBe(237);
    expect(await reads.journalLength("telegram:3")).toBe(1);
    expect(await reads.journalLength("telegram:nobody")).toBe(0);
  });

  it("find members by the start of a name, whatever its case", async () => {
    const { reads } = make();
    await reads.noteName("discord:1", "Anna Smith");
    await reads.noteName("discord:2", "annabel");
    await reads.noteName("telegram:3", "Bob");
    expect((await reads.searchNames("ANN", 10)).sort()).toEqual(["discord:1", "discord:2"]);
    expect(await reads.searchNames("anna s", 10)).toEqual(["discord:1"]);
    expect(await reads.searchNames("  ", 10)).toEqual([]);
    expect(await reads.searchNames("zed", 10)).toEqual([]);
  });

  it("keep the unreachable set and a bounded list of recent trades, newest first", async () => {
    const { reads } = make();
    await reads.noteUnreachable("telegram:1", true);
    await reads.noteUnreachable("telegram:2", true);
    await reads.noteUnreachable("telegram:1", false);
    expect(await reads.unreachable(10)).toEqual(["telegram:2"]);
    for (let i = 0; i < RECENT_TRADES_KEPT + 5; i++) await reads.noteTrade(`sb-de-${i}`);
    const recent = await reads.recentTrades(RECENT_TRADES_KEPT + 100);
    expect(recent).toHaveLength(RECENT_TRADES_KEPT);
    expect(recent[0]).toBe(`sb-de-${RECENT_TRADES_KEPT + 4}`);
  });

  it("export the ledger for a range with sums equal to the balances", async () => {
    const { ledger, reads } = make();
    for (let i = 0; i < 30; i++) await credit(ledger, `discord:${i % 7}`, i, 101 + i);
    await ledger.hold({ key: "h", memberId: "discord:1", amountCents: 50, reason: "withdrawal" });
    const day = new Date().toISOString().slice(0, 10);
    const from = new Date(`${day}T00:00:00Z`);
    const { csv, rows } = await ledgerCsv(
      { ledger, reads },
      { from, to: new Date(from.getTime() + 86_400_000) },
    );
    expect(rows).toBe(31);
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n")
      .slice(1);
    const sum = (col: number) => lines.reduce((s, l) => s + Math.round(Number(l.split(",")[col]) * 100), 0);
    const totals = await ledger.totals();
    expect(sum(4)).toBe(totals.availableCents);
    expect(sum(5)).toBe(totals.heldCents);
    const tomorrow = new Date(from.getTime() + 86_400_000);
    expect((await ledgerCsv({ ledger, reads }, { from: tomorrow, to: tomorrow })).rows).toBe(0);
    await expect(
      ledgerCsv({ ledger, reads }, { from, to: new Date(from.getTime() + 86_400_000) }, 30),
    ).rejects.toThrow(ExportTooLarge);
    const journal = await memberJournalCsv(ledger, "discord:1");
    expect(journal.startsWith("\uFEFFmember,entry,")).toBe(true);
    expect(journal.trimEnd().split("\r\n")).toHaveLength(1 + 5 + 1);
  });
});

describe("the member directory wrapper", () => {
  it("indexes names platforms report and follows reachability", async () => {
    const reads = createMemoryDashboardReads(createMemoryLedger());
    const members = withMemberDirectory(createMembers(new Keyv()), reads);
    await members.touch({ platform: "telegram", userId: "5", locale: "en", displayName: "Zoë" });
    expect(await reads.searchNames("zo", 5)).toEqual(["telegram:5"]);
    await members.update("telegram:5", (p) => ({
      ...p,
      unreachable: { since: "2026-12-06T00:00:00Z", reason: "403" },
    }));
    expect(await reads.unreachable(5)).toEqual(["telegram:5"]);
    await members.update("telegram:5", (p) => {
      delete p.unreachable;
      return p;
    });
    expect(await reads.unreachable(5)).toEqual([]);
  });
});

describe("CSV for spreadsheets", () => {
  it("writes cents as dollars with a dot, and quotes and defuses text", () => {
    expect([dollars(0), dollars(5), dollars(-1234), dollars(100_000_01)]).toEqual([
      "0.00",
      "0.05",
      "-12.34",
      "100000.01",
    ]);
    expect(csvText('say "hi", then')).toBe('"say ""hi"", then"');
    for (const formula of ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)"])
      expect(csvText(formula)).toBe(`"'${formula}"`);
    const row = csvRow({
      id: 3,
      key: "k",
      memberId: "discord:1",
      op: "adjust",
      availableDeltaCents: -250,
      heldDeltaCents: 0,
      reason: "=cmd|' /C calc'!A0",
      at: "2026-12-06T10:00:00.000Z",
    });
    expect(row).toBe(
      `"discord:1",3,2026-12-06T10:00:00.000Z,adjust,-2.50,0.00,"'=cmd|' /C calc'!A0","","","","k"`,
    );
  });
});

describe("stuck trades", () => {
  const record = (status: TradeRecord["status"]) => ({ status }) as TradeRecord;
  it("are in flight past the limit in any state but Steam's hold", () => {
    expect(isStuck(record("active"), STUCK_AFTER_MS + 1)).toBe(true);
    expect(isStuck(record("active"), STUCK_AFTER_MS)).toBe(false);
    expect(isStuck(record("hold"), 10 * STUCK_AFTER_MS)).toBe(false);
    expect(isStuck(record(undefined), STUCK_AFTER_MS + 1)).toBe(true);
  });
});
