/**
 * Whole member journeys through the core API, against the AssetPay sandbox over HTTP, with the
 * in-memory store and with a real Redis: what a member would observe (DMs, balance, journal).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { answerAction, type Invocation, runCommand } from "../../commands/runtime.ts";
import { AssetPayError } from "../../src/assetpay/errors.ts";
import { mintClientToken } from "../../src/assetpay/token.ts";
import { CoreError } from "../../src/core/errors.ts";
import { selectedTotal } from "../../src/core/picker.ts";
import { viewToPlainText } from "../../src/ui/plain-text.ts";
import { isLinkButton } from "../../src/ui/view.ts";
import { noticeView } from "../../src/ui/views/notice-view.ts";
import { TEST_MERCHANT, TEST_SECRET } from "../support/app-harness.ts";
import { startWorld, type World } from "../support/world.ts";

const DAY = 86_400;

async function linked(w: World, token?: string) {
  const memberId = w.member();
  const url = w.tradeUrl(token);
  const link = await w.core.accounts.link(memberId, url);
  return { memberId, url, link };
}

/** Opens a deposit picker and selects the first `n` selectable entries. */
async function pickDeposit(w: World, memberId: string, n: number, game: "730" | "252490" = "730") {
  let s = await w.core.trading.openDeposit(memberId, { game, pageSize: 8 });
  const indexes = s.entries
    .map((e, i) => (e.selectable ? i : -1))
    .filter((i) => i >= 0)
    .slice(0, n);
  for (const index of indexes) s = await w.core.trading.act(memberId, s.id, { kind: "toggle", index });
  return s;
}

async function pickListing(w: World, memberId: string, query = "AK-47") {
  const found = await w.core.market.suggest(memberId, query, "730");
  expect(found.length).toBeGreaterThan(0);
  let s = await w.core.trading.openWithdraw(memberId, {
    catalogId: found[0]!.id,
    name: found[0]!.name,
    game: "730",
    pageSize: 8,
  });
  s = await w.core.trading.act(memberId, s.id, { kind: "toggle", index: 0 });
  return s;
}

async function fund(w: World, memberId: string, cents: number) {
  await w.core.admin.adjust({ actor: "admin:test", memberId, amountCents: cents, reason: "test funds" });
}

describe.each([
  ["memory store", undefined],
  ["Redis store", "redis"],
])("member journeys (%s)", (_name, store) => {
  let w: World;
  let wi: World;
  beforeAll(async () => {
    const redisUrl = store ? inject("redisUrl") : undefined;
    // Auto-cancel after 2 h, so a member's own cancel at 30 minutes is what ends a slow item.
    w = await startWorld({ ...(redisUrl ? { redisUrl } : {}), env: { ASSETPAY_AUTO_CANCEL_MINUTES: "120" } });
    wi = await startWorld({ ...(redisUrl ? { redisUrl } : {}), env: { ASSETPAY_INSTANT_CREDIT: "true" } });
  });
  afterAll(async () => {
    await w?.close();
    await wi?.close();
  });

  it("links a member and refuses a Steam account another member holds", async () => {
    const { memberId, link } = await linked(w);
    expect(link.steamId).toMatch(/^76561\d{12}$/);
    await expect(w.core.accounts.link(w.member(), link.tradeUrl)).rejects.toMatchObject({
      key: "steamAccountTaken",
    });
    await expect(w.core.accounts.link(w.member(), w.tradeUrl("PRIVATE0"))).rejects.toMatchObject({
      key: "tradeUrlState",
      params: { state: 5 },
    });
    await expect(w.core.accounts.link(w.member(), w.tradeUrl("ESCROW07"))).rejects.toMatchObject({
      key: "tradeUrlEscrow",
      params: { days: 7 },
    });
    await expect(w.core.accounts.link(w.member(), "https://example.com/nope")).rejects.toMatchObject({
      key: "invalidTradeUrl",
    });
    expect((await w.core.accounts.unlink(memberId))?.steamId).toBe(link.steamId);
  });

  it("lets an admin move a Steam account to another member, and nobody else", async () => {
    const { memberId: owner, link } = await linked(w);
    const newcomer = w.member();
    const as = (id: string, isAdmin: boolean): Invocation => ({
      member: { platform: "console", userId: id.slice("console:".length), locale: "en" },
      isAdmin,
      caps: { platform: "console", pickerPageSize: 8 },
    });
    const args = { member: newcomer.slice("console:".length), trade_url: link.tradeUrl };
    const refused = await runCommand(w.core, as(newcomer, false), "admin", args, "move");
    expect(refused.kind === "view" && viewToPlainText(refused.view)).toBe("Only moderators can use this.");
    const moved = await runCommand(w.core, as("console:mod", true), "admin", args, "move");
    expect(moved.kind === "view" && viewToPlainText(moved.view)).toBe(
      `Steam account ${link.steamId} now belongs to Console user ${newcomer.slice("console:".length)}.`,
    );
    expect((await w.core.accounts.get(newcomer))?.steamId).toBe(link.steamId);
    expect(await w.core.accounts.get(owner)).toBeUndefined();
    expect(await w.core.accounts.ownerOf("console", link.steamId)).toBe(newcomer);
  });

  it("deposits CS2 skins and credits the member when the 7-day hold completes", async () => {
    const { memberId } = await linked(w);
    const s = await pickDeposit(w, memberId, 2);
    const total = selectedTotal(s);
    expect(total).toBeGreaterThan(0);
    const { trade, record } = await w.core.trading.confirm(memberId, s.id);
    expect(trade?.status).toBe("initiated");
    expect(record.totalCents).toBe(total);
    await w.advance(10);
    const offer = await w.notice(trade!.id, "deposit.offer");
    expect(offer.offerId).toBeTruthy();
    await w.advance(60);
    await w.notice(trade!.id, "deposit.hold");
    expect(await w.core.ledger.balance(memberId)).toEqual({ availableCents: 0, heldCents: 0 });
    await w.advance(7 * DAY + 60);
    const credited = await w.notice(trade!.id, "deposit.credited");
    expect(credited).toMatchObject({ amountCents: total, balanceCents: total });
    expect(await w.core.ledger.balance(memberId)).toEqual({ availableCents: total, heldCents: 0 });
    // One credit per deposited item, keyed by the item, adding up to the confirmed total.
    const journal = await w.core.ledger.journal(memberId);
    expect(journal.map((e) => e.op)).toEqual(["credit", "credit"]);
    expect(new Set(journal.map((e) => e.itemId)).size).toBe(2);
    expect(journal.reduce((sum, e) => sum + e.availableDeltaCents, 0)).toBe(total);
    // A second confirm of the same picker starts nothing.
    await expect(w.core.trading.confirm(memberId, s.id)).rejects.toMatchObject({ key: "alreadyConfirmed" });
  });

  it("splits an instant-credit deposit into pre-credit at hold and the rest at completion", async () => {
    const { memberId } = await linked(wi);
    const s = await pickDeposit(wi, memberId, 1);
    const total = selectedTotal(s);
    const { trade } = await wi.core.trading.confirm(memberId, s.id);
    await wi.advance(70);
    const hold = await wi.notice(trade!.id, "deposit.hold");
    expect(hold.amountCents).toBeGreaterThan(0);
    expect(hold.amountCents).toBeLessThan(total);
    expect((await wi.core.ledger.balance(memberId)).availableCents).toBe(hold.amountCents);
    await wi.advance(7 * DAY + 60);
    const done = await wi.notice(trade!.id, "deposit.credited");
    expect(done.amountCents).toBe(total - (hold.amountCents ?? 0));
    expect((await wi.core.ledger.balance(memberId)).availableCents).toBe(total);
  });

  it("takes back a reverted deposit, even into a negative balance, and locks withdrawals", async () => {
    const { memberId } = await linked(wi, "REVERT00");
    const s = await pickDeposit(wi, memberId, 1);
    const { trade } = await wi.core.trading.confirm(memberId, s.id);
    await wi.advance(70);
    const hold = await wi.notice(trade!.id, "deposit.hold");
    const pre = hold.amountCents ?? 0;
    expect(pre).toBeGreaterThan(0);
    // The member spends the pre-credit before Steam reverses the trade.
    await wi.core.admin.adjust({
      actor: "admin:test",
      memberId,
      amountCents: -pre,
      reason: "spent elsewhere",
    });
    await wi.advance(3 * DAY + 60);
    const reverted = await wi.notice(trade!.id, "deposit.reverted");
    expect(reverted).toMatchObject({ amountCents: pre, balanceCents: -pre });
    expect((await wi.core.ledger.balance(memberId)).availableCents).toBe(-pre);
    expect((await wi.core.members.get(memberId)).withdrawalsLocked).toBeTruthy();
    await expect(pickListing(wi, memberId)).rejects.toMatchObject({ key: "withdrawalsLockedNegative" });
  });

  it("withdraws with balance: approval holds the price, completion settles it", async () => {
    const { memberId } = await linked(w);
    await fund(w, memberId, 500_000);
    const s = await pickListing(w, memberId);
    const price = selectedTotal(s);
    const { trade } = await w.core.trading.confirm(memberId, s.id);
    expect(trade?.type).toBe("withdraw");
    await w.sandbox.idle();
    // The approval callback held the price before anything was bought.
    expect(await w.core.ledger.balance(memberId)).toEqual({
      availableCents: 500_000 - price,
      heldCents: price,
    });
    expect((await w.core.ledger.verdict(trade!.id))?.verdict).toBe("approved");
    await w.advance(15);
    await w.notice(trade!.id, "withdraw.offer");
    await w.advance(7 * DAY + 120);
    const done = await w.notice(trade!.id, "withdraw.completed");
    expect(done.amountCents).toBe(price);
    expect(await w.core.ledger.balance(memberId)).toEqual({ availableCents: 500_000 - price, heldCents: 0 });
  });

  it("refunds withdrawal items that fail after approval", async () => {
    const { memberId } = await linked(w, "WDFAIL00");
    await fund(w, memberId, 500_000);
    const s = await pickListing(w, memberId);
    const price = selectedTotal(s);
    const { trade } = await w.core.trading.confirm(memberId, s.id);
    await w.sandbox.idle();
    expect((await w.core.ledger.balance(memberId)).heldCents).toBe(price);
    await w.advance(30);
    const failed = await w.notice(trade!.id, "withdraw.failed");
    expect(failed.amountCents).toBe(price);
    expect(await w.core.ledger.balance(memberId)).toEqual({ availableCents: 500_000, heldCents: 0 });
    const journal = await w.core.ledger.journal(memberId);
    expect(journal.filter((e) => e.tradeId === trade!.id).map((e) => e.op)).toEqual(["release", "hold"]);
  });

  it("refuses a withdrawal the balance does not cover, before and at approval", async () => {
    const { memberId } = await linked(w);
    await fund(w, memberId, 1);
    const s = await pickListing(w, memberId);
    await expect(w.core.trading.confirm(memberId, s.id)).rejects.toMatchObject({
      key: "insufficientBalance",
    });
    expect(await w.core.ledger.balance(memberId)).toEqual({ availableCents: 1, heldCents: 0 });
  });

  it("rejects the approval of a withdrawal the bot never started", async () => {
    const url = w.tradeUrl();
    const steamId = (76561197960265728n + BigInt(/partner=(\d+)/.exec(url)![1]!)).toString();
    const { token } = mintClientToken({
      merchantId: TEST_MERCHANT,
      apiSecret: TEST_SECRET,
      steamId,
      tradeUrl: url,
    });
    const found = await w.core.client.suggestions({ memberId: "x", steamId, tradeUrl: url }, "AK-47");
    const items = await w.core.client.marketItem(
      { memberId: "x", steamId, tradeUrl: url },
      { itemId: found[0]!.id },
    );
    const res = await fetch(`${w.sandbox.url}/client/trading/withdraw`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        items: [{ itemId: items[0]!.id, price: items[0]!.priceCents! / 100 }],
        game: "730",
        externalId: `not-ours-${Date.now()}`,
      }),
    });
    const body = (await res.json()) as { data: { id: string } };
    await w.sandbox.idle();
    const trade = w.sandbox.trades.get(body.data.id);
    expect(trade?.status).toBe("failed");
    expect(trade?.error).toBe("MERCHANT_REJECTED");
    expect((await w.core.ledger.verdict(body.data.id))?.reason).toBe("unknown-intent");
  });

  it("refreshes quotes when a price changed and lets the member confirm again", async () => {
    const { memberId } = await linked(w);
    const s = await pickDeposit(w, memberId, 1);
    const chosen = s.entries.find((e) => e.id === s.selected[0])!;
    w.sandbox.setPrice({ itemId: chosen.id, price: (chosen.quotedCents + 37) / 100 });
    const err = await w.core.trading.confirm(memberId, s.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssetPayError);
    expect((err as AssetPayError).key).toBe("PRICE_CHANGED");
    const fresh = await w.core.trading.load(memberId, s.id);
    expect(fresh.state).toBe("open");
    expect(fresh.entries.find((e) => e.id === chosen.id)?.quotedCents).toBe(chosen.quotedCents + 37);
    expect(fresh.selected).toEqual([chosen.id]);
    const { trade } = await w.core.trading.confirm(memberId, s.id);
    expect(trade?.totalCents).toBe(chosen.quotedCents + 37);
  });

  it("cancels an undelivered withdrawal item only after 30 minutes, then refunds it", async () => {
    const { memberId } = await linked(w, "WDSLOW00");
    await fund(w, memberId, 500_000);
    const s = await pickListing(w, memberId);
    const price = selectedTotal(s);
    const { trade } = await w.core.trading.confirm(memberId, s.id);
    const itemId = trade!.items[0]!.id;
    await w.advance(5);
    expect((await w.core.ledger.balance(memberId)).heldCents).toBe(price);
    const tooSoon = await w.core.trading.cancelItem(memberId, trade!.id, itemId).catch((e: unknown) => e);
    expect(tooSoon).toBeInstanceOf(CoreError);
    expect((tooSoon as CoreError).key).toBe("cancelTooSoon");
    await w.advance(30 * 60);
    await w.core.trading.cancelItem(memberId, trade!.id, itemId);
    await w.advance(5);
    const refund = await w.notice(trade!.id, "withdraw.failed");
    expect(refund.amountCents).toBe(price);
    expect(await w.core.ledger.balance(memberId)).toEqual({ availableCents: 500_000, heldCents: 0 });
  });

  it("refunds an item AssetPay auto-cancels when the seller never sends it", async () => {
    const { memberId } = await linked(wi, "WDSLOW00");
    await fund(wi, memberId, 500_000);
    const s = await pickListing(wi, memberId);
    const price = selectedTotal(s);
    const { trade } = await wi.core.trading.confirm(memberId, s.id);
    await wi.sandbox.idle();
    expect((await wi.core.ledger.balance(memberId)).heldCents).toBe(price);
    // AssetPay's own 30-minute auto-cancel comes as soon as a member's cancel could: no button
    // that can't help.
    await wi.advance(5);
    const trades = await runCommand(
      wi.core,
      {
        member: { platform: "console", userId: memberId.slice("console:".length), locale: "en" },
        isAdmin: false,
        caps: { platform: "console", pickerPageSize: 8 },
      },
      "trades",
      {},
    );
    if (trades.kind !== "view") throw new Error("expected a view");
    expect(wi.sandbox.trades.get(trade!.id)?.status).toBe("pending");
    expect(trades.view.buttons.flat()).toEqual([]);
    await wi.advance(31 * 60 - 5);
    const refund = await wi.notice(trade!.id, "withdraw.failed");
    expect(refund.amountCents).toBe(price);
    // The member reads why, not "something went wrong".
    expect(viewToPlainText(noticeView(wi.core.i18n, "en", refund))).toContain(
      "The seller didn't send it in time, so AssetPay canceled the order.",
    );
    expect(await wi.core.ledger.balance(memberId)).toEqual({ availableCents: 500_000, heldCents: 0 });
  });

  it("lets a member cancel a slow withdrawal from /trades, refused before 30 minutes", async () => {
    const { memberId } = await linked(w, "WDSLOW00");
    await fund(w, memberId, 500_000);
    const s = await pickListing(w, memberId);
    const price = selectedTotal(s);
    const { trade } = await w.core.trading.confirm(memberId, s.id);
    await w.advance(5);
    const inv: Invocation = {
      member: { platform: "console", userId: memberId.slice("console:".length), locale: "en" },
      isAdmin: false,
      caps: { platform: "console", pickerPageSize: 8 },
    };
    const trades = await runCommand(w.core, inv, "trades", {});
    if (trades.kind !== "view") throw new Error("expected a view");
    const cancel = trades.view.buttons
      .flat()
      .find((b) => !isLinkButton(b) && b.label.startsWith("Cancel · "));
    if (!cancel || isLinkButton(cancel))
      throw new Error(`no Cancel button: ${viewToPlainText(trades.view, { controls: true })}`);
    // Someone else pressing it is refused.
    const other = await answerAction(
      w.core,
      { ...inv, member: { ...inv.member, userId: "someone-else" } },
      cancel.action,
    );
    expect(other.refused).toBe(true);
    const early = await answerAction(w.core, inv, cancel.action);
    expect(viewToPlainText(early.view)).toMatch(/can be canceled in \d+ min/);
    await w.advance(30 * 60);
    const done = await answerAction(w.core, inv, cancel.action);
    expect(viewToPlainText(done.view)).toContain("Cancellation requested");
    await w.advance(5);
    const refund = await w.notice(trade!.id, "withdraw.failed");
    expect(refund.amountCents).toBe(price);
    expect(await w.core.ledger.balance(memberId)).toEqual({ availableCents: 500_000, heldCents: 0 });
  });

  it("catches up on lost callbacks through the reconciler, applying them once", async () => {
    const { memberId } = await linked(w, "AbCdRust");
    const s = await pickDeposit(w, memberId, 1, "252490");
    const total = selectedTotal(s);
    w.sandbox.faults.set({ drop: 1000 });
    const { trade } = await w.core.trading.confirm(memberId, s.id);
    await w.advance(120);
    w.sandbox.faults.clear();
    expect(w.sandbox.trades.get(trade!.id)?.status).toBe("completed");
    expect((await w.core.ledger.balance(memberId)).availableCents).toBe(0);
    await w.core.reconciler.runOnce();
    await w.core.reconciler.runOnce();
    expect((await w.core.ledger.balance(memberId)).availableCents).toBe(total);
    await w.notice(trade!.id, "deposit.credited");
  });
});
