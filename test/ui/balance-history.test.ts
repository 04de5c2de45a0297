/**
 * /balance history in a member's words: a delivered withdrawal shows the money it paid out of
 * `held` (not the untouched `available`), and AssetPay's item-by-item settlement reads as one line.
 */
import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../src/core/ledger.ts";
import { createI18n } from "../../src/ui/i18n.ts";
import { viewToPlainText } from "../../src/ui/plain-text.ts";
import { balanceView, mergeItemEntries } from "../../src/ui/views/account-views.ts";
import { noticeView } from "../../src/ui/views/notice-view.ts";

const i18n = createI18n({ defaultLocale: "en" });
let id = 0;
const entry = (e: Partial<LedgerEntry>): LedgerEntry => ({
  id: ++id,
  key: `k${id}`,
  memberId: "discord:1",
  op: "settle",
  availableDeltaCents: 0,
  heldDeltaCents: 0,
  reason: "withdrawal",
  at: "2026-12-01T10:00:00.000Z",
  ...e,
});

describe("the balance history", () => {
  // Newest first, as the ledger returns them: three items delivered, held before, a deposit.
  const journal = [
    entry({ op: "settle", heldDeltaCents: -86, tradeId: "t-1", itemId: "a" }),
    entry({ op: "settle", heldDeltaCents: -114, tradeId: "t-1", itemId: "b" }),
    entry({ op: "settle", heldDeltaCents: -300, tradeId: "t-1", itemId: "c" }),
    entry({ op: "hold", availableDeltaCents: -500, heldDeltaCents: 500, tradeId: "t-1" }),
    entry({ op: "credit", availableDeltaCents: 1000, reason: "deposit", tradeId: "t-0" }),
  ];

  it("merges one trade's item-by-item settlement into one entry with the sum", () => {
    const merged = mergeItemEntries(journal);
    expect(merged.map((e) => [e.op, e.availableDeltaCents, e.heldDeltaCents])).toEqual([
      ["settle", 0, -500],
      ["hold", -500, 500],
      ["credit", 1000, 0],
    ]);
  });

  it("says what each line moved", () => {
    const text = viewToPlainText(balanceView(i18n, "en", { availableCents: 500, heldCents: 0 }, journal));
    expect(text).toContain("Withdrawal paid from held balance · -$5.00");
    expect(text).toContain("Withdrawal held · -$5.00");
    expect(text).toContain("Deposit credited · +$10.00");
    expect(text).not.toMatch(/· \$0\.00/);
  });

  it("keeps two trades' deliveries apart", () => {
    const two = [
      entry({ op: "settle", heldDeltaCents: -100, tradeId: "t-2" }),
      entry({ op: "settle", heldDeltaCents: -200, tradeId: "t-1" }),
    ];
    expect(mergeItemEntries(two)).toHaveLength(2);
  });
});

describe("a deposit Steam reversed", () => {
  it("says nothing was taken back when it was reversed in the hold, before any credit", () => {
    const text = viewToPlainText(
      noticeView(i18n, "en", {
        kind: "deposit.reverted",
        tradeId: "t",
        game: "730",
        amountCents: 0,
        balanceCents: 0,
      }),
    );
    expect(text).toContain("Nothing had been credited for it yet, so your balance didn't change.");
    expect(text).not.toContain("$0.00");
  });

  it("says how much was taken back when it had been credited", () => {
    const text = viewToPlainText(
      noticeView(i18n, "en", {
        kind: "deposit.reverted",
        tradeId: "t",
        game: "730",
        amountCents: 1234,
        balanceCents: -34,
      }),
    );
    expect(text).toContain("so $12.34 was taken back from your balance. New balance: -$0.34.");
  });
});
