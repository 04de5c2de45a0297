/**
 * The community trading on its own account (merchant self-trades), through the same commands
 * the platforms run: giveaways paid by the merchant wallet, liquidations into it, cancelling an
 * undelivered giveaway item, the wallet view, and the audit — with no member money moving.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { answerAction, type Invocation, runCommand } from "../../commands/runtime.ts";
import type { Reply } from "../../commands/types.ts";
import { viewToPlainText } from "../../src/ui/plain-text.ts";
import type { View } from "../../src/ui/view.ts";
import { isLinkButton } from "../../src/ui/view.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld({ redisUrl: inject("redisUrl"), env: { ASSETPAY_AUTO_CANCEL_MINUTES: "120" } });
});
afterAll(async () => {
  await w?.close();
});

const as = (userId: string, isAdmin: boolean): Invocation => ({
  member: { platform: "console", userId, locale: "en" },
  isAdmin,
  caps: { platform: "console", pickerPageSize: 8 },
});

/** The first action button of a view (e.g. the first match of a market search). */
function firstAction(view: View) {
  const button = view.buttons.flat().find((b) => !isLinkButton(b));
  if (!button || isLinkButton(button)) throw new Error(`no action button in: ${viewToPlainText(view)}`);
  return button.action;
}

function viewOf(reply: Reply): View {
  if (reply.kind !== "view") throw new Error(`expected a view, got ${reply.kind}`);
  return reply.view;
}

/** Presses the first select option, then the Confirm button, as a member would. */
async function pickFirstAndConfirm(inv: Invocation, picker: View, count = 1): Promise<View> {
  let view = picker;
  for (let i = 0; i < count; i++) {
    const select = view.select;
    if (!select) throw new Error(`no items to pick in: ${viewToPlainText(view)}`);
    const option = select.options.find((o) => !o.selected);
    view = (await answerAction(w.core, inv, { ...select.action, arg: option!.value })).view;
  }
  const confirm = view.buttons.flat().find((b) => !isLinkButton(b) && b.label === "Confirm");
  if (!confirm || isLinkButton(confirm)) throw new Error("no Confirm button");
  return (await answerAction(w.core, inv, confirm.action)).view;
}

async function linkedMember(token = "AbCdEf12") {
  const userId = `m${Math.floor(Math.random() * 1e9)}`;
  await w.core.accounts.link(`console:${userId}`, w.tradeUrl(token));
  return userId;
}

describe("community self-trades", () => {
  it("gives a member a skin from the market, paid by the merchant wallet, with no member money moving", async () => {
    const admin = as("admin1", true);
    const recipient = await linkedMember();
    const walletBefore = w.sandbox.balance;
    const picker = viewOf(
      await runCommand(w.core, admin, "admin", { member: recipient, item: "AK-47 Redline" }, "giveaway"),
    );
    const listPicker = picker.select ? picker : (await answerAction(w.core, admin, firstAction(picker))).view;
    expect(viewToPlainText(listPicker)).toContain("Choose a skin to give away");
    const receipt = await pickFirstAndConfirm(admin, listPicker);
    expect(viewToPlainText(receipt)).toMatch(
      /Giveaway started: .* from the community wallet, to Console user /,
    );
    await w.sandbox.idle();
    const trade = w.sandbox.trades.list().find((t) => t.source === "self" && t.type === "withdraw");
    expect(trade?.status).not.toBe("failed");
    await w.advance(7 * 86_400 + 600);
    const gift = await w.notice(trade!.id, "gift.received");
    expect(gift.items?.length).toBe(1);
    await w.notice(trade!.id, "gift.offer");
    await w.notice(trade!.id, "community.trade");
    expect(w.sandbox.balance).toBeLessThan(walletBefore);
    expect(await w.core.ledger.balance(`console:${recipient}`)).toEqual({ availableCents: 0, heldCents: 0 });
    expect(await w.core.ledger.balance("console:admin1")).toEqual({ availableCents: 0, heldCents: 0 });
    const audit = viewToPlainText(viewOf(await runCommand(w.core, admin, "admin", {}, "audit")));
    expect(audit).toMatch(/giveaway \S+ · Completed .* started by Console user admin1 · for Console user /);
  });

  it("liquidates two skins from a storage account into the merchant wallet", async () => {
    const admin = as("admin2", true);
    const storage = w.tradeUrl();
    const walletBefore = w.sandbox.balance;
    const picker = viewOf(
      await runCommand(w.core, admin, "admin", { trade_url: storage, game: "rust" }, "liquidate"),
    );
    expect(viewToPlainText(picker)).toContain("Choose skins to sell to AssetPay");
    const receipt = await pickFirstAndConfirm(admin, picker, 2);
    expect(viewToPlainText(receipt)).toMatch(/Liquidation started: .*, .* for \$/);
    // The admin sees the trade's id (for /admin cancel) and each item.
    const started = w.sandbox.trades.list().find((t) => t.source === "self" && t.type === "deposit");
    expect(viewToPlainText(receipt)).toContain(`Trade: ${started?.id}`);
    await w.advance(600);
    const sold = w.sandbox.trades.get(started!.id);
    expect(sold?.status).toBe("completed");
    expect(sold?.isInstant).toBe(true);
    expect(w.sandbox.balance).toBeGreaterThan(walletBefore);
    const totals = await w.core.ledger.totals();
    const wallet = viewToPlainText(viewOf(await runCommand(w.core, admin, "admin", {}, "wallet")));
    expect(wallet).toContain("AssetPay merchant wallet");
    expect(wallet).toContain(w.core.i18n.money("en", totals.availableCents + totals.heldCents));
  });

  it("refuses to cancel a giveaway item too early, then cancels it in time and sees it reverted", async () => {
    const admin = as("admin3", true);
    const recipient = await linkedMember("WDSLOW00");
    const picker = viewOf(
      await runCommand(w.core, admin, "admin", { member: recipient, item: "AK-47 Redline" }, "giveaway"),
    );
    const list = picker.select ? picker : (await answerAction(w.core, admin, firstAction(picker))).view;
    await pickFirstAndConfirm(admin, list);
    await w.sandbox.idle();
    const trade = w.sandbox.trades
      .list()
      .filter((t) => t.source === "self" && t.type === "withdraw")
      .at(-1)!;
    const itemId = trade.items[0]!.id;
    const early = viewToPlainText(
      viewOf(await runCommand(w.core, admin, "admin", { trade: trade.id, item: itemId }, "cancel")),
    );
    expect(early).toMatch(/30 min|too soon|can be canceled/i);
    await w.advance(31 * 60);
    const ok = viewToPlainText(
      viewOf(await runCommand(w.core, admin, "admin", { trade: trade.id, item: itemId }, "cancel")),
    );
    expect(ok).toContain("Cancellation requested");
    await w.advance(10);
    expect(w.sandbox.trades.get(trade.id)?.items[0]?.status).toBe("reverted");
    const notices = w.app.notifier.sent.filter(
      (s) => s.notice.tradeId === trade.id && s.notice.kind === "community.trade",
    );
    expect(notices.length).toBeGreaterThan(0);
  });

  it("pages the audit one trade a row, each with its id, who started it and who received it", async () => {
    const admin = as("auditor", true);
    // Twelve giveaways, each logged at two statuses (the log keeps one event per change).
    for (let i = 0; i < 12; i++) {
      const tradeId = `audit-trade-${String(i).padStart(2, "0")}`;
      for (const [minute, status] of [
        [0, "pending"],
        [1, "completed"],
      ] as const) {
        await w.core.community.append({
          at: new Date(Date.UTC(2030, 0, 1, i, minute)).toISOString(),
          tradeId,
          externalId: `x-${i}`,
          kind: "giveaway",
          actor: "admin:console:auditor",
          recipient: "console:lucky",
          status,
          totalCents: 100 + i,
          items: ["AK-47 | Redline"],
        });
      }
    }
    await w.core.members.update("console:lucky", (p) => ({ ...p, displayName: "Lucky" }));
    const first = viewOf(await runCommand(w.core, admin, "admin", {}, "audit"));
    const text = viewToPlainText(first);
    // Newest first, one row per trade at its latest status.
    expect(text).toMatch(
      /giveaway audit-trade-11 · Completed · \$1\.11 · AK-47 \| Redline · started by \S.* · for Lucky/,
    );
    expect(text).not.toContain("Preparing");
    expect(text).toContain("Page 1 of");
    const next = first.buttons.flat().find((b) => !isLinkButton(b) && b.label === "Next ▶");
    if (!next || isLinkButton(next)) throw new Error("no Next button");
    const second = viewToPlainText((await answerAction(w.core, admin, next.action)).view);
    expect(second).toContain("Page 2 of");
    expect(second).not.toContain("audit-trade-11");
    // A member pressing an admin's page button is refused.
    const peek = await answerAction(w.core, as("plain", false), next.action);
    expect(peek.refused).toBe(true);
  });

  it("answers a bare /admin or a subcommand that isn't one with what there is", async () => {
    const admin = as("admin-usage", true);
    for (const sub of [undefined, "nonsense"]) {
      const text = viewToPlainText(viewOf(await runCommand(w.core, admin, "admin", {}, sub)));
      expect(text).toContain("Moderator commands:");
      expect(text).toContain("/admin lookup <member> — Show a member's balance, trades and history");
      expect(text).not.toContain("went wrong");
    }
  });

  it("refuses every community operation to a member who is not an admin", async () => {
    const member = as("plain", false);
    for (const sub of ["giveaway", "liquidate", "cancel", "wallet", "audit"]) {
      const text = viewToPlainText(
        viewOf(await runCommand(w.core, member, "admin", { member: "x", item: "AK" }, sub)),
      );
      expect(text).toBe("Only moderators can use this.");
    }
  });

  it("rejects the approval of a self-trade buy the bot never started", async () => {
    const recipient = w.tradeUrl();
    const listings = await w.core.client.marketItem(
      { memberId: "probe", steamId: "76561197960265729", tradeUrl: w.tradeUrl() },
      {
        itemId: (
          await w.core.client.suggestions(
            { memberId: "probe", steamId: "76561197960265729", tradeUrl: recipient },
            "AK-47",
          )
        )[0]!.id,
      },
    );
    const res = await fetch(`${w.sandbox.url}/secure/buy`, {
      method: "POST",
      headers: { "api-key": w.config.assetpay.apiKey, "content-type": "application/json" },
      body: JSON.stringify({
        tradeUrl: recipient,
        items: [{ itemId: listings[0]!.id, price: listings[0]!.priceCents! / 100 }],
        game: "730",
        externalId: `rogue-${Date.now()}`,
      }),
    });
    const body = (await res.json()) as { data: { id: string } };
    await w.sandbox.idle();
    expect(w.sandbox.trades.get(body.data.id)).toMatchObject({
      status: "failed",
      error: "MERCHANT_REJECTED",
    });
  });
});
