/**
 * Locks and rights that cannot be dodged, through the commands members and moderators run:
 * a locked member cannot unlink, nor relink their Steam account from another chat identity; a
 * trade in flight behind twenty newer ones still blocks /unlink; an admin demoted after opening
 * a giveaway picker cannot confirm it. Each fails on the code before these guards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerAction, type Invocation, runCommand } from "../../commands/runtime.ts";
import type { Reply } from "../../commands/types.ts";
import type { TradeRecord } from "../../src/core/trade-records.ts";
import { viewToPlainText } from "../../src/ui/plain-text.ts";
import type { View } from "../../src/ui/view.ts";
import { isLinkButton } from "../../src/ui/view.ts";
import { depositRecordAt } from "../support/deposit-fixtures.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

const as = (platform: "discord" | "telegram" | "console", userId: string, isAdmin = false): Invocation => ({
  member: { platform, userId, locale: "en" },
  isAdmin,
  caps: { platform, pickerPageSize: 8 },
});
const text = (reply: Reply | { view: View }) =>
  viewToPlainText("view" in reply ? (reply.view as View) : reply.prompt);
let seq = Math.floor(Math.random() * 1e6);
const uid = () => String(1_400_000_000_000_000_000n + BigInt(seq++));

describe("a moderator's lock", () => {
  it("keeps the locked member from unlinking, and the Steam account from being linked on another platform", async () => {
    const discord = as("discord", uid());
    const url = w.tradeUrl();
    expect(text(await runCommand(w.core, discord, "link", { trade_url: url }))).toContain("Linked!");
    await w.core.admin.lock(`discord:${discord.member.userId}`, "chargeback fraud", "admin:discord:1");

    const unlink = await runCommand(w.core, discord, "unlink", {});
    expect(text(unlink)).toContain(w.core.i18n.t("en", "errors.core.unlinkLocked"));
    expect(await w.core.accounts.get(`discord:${discord.member.userId}`)).toBeDefined();

    const telegram = as("telegram", uid());
    const relink = await runCommand(w.core, telegram, "link", { trade_url: url });
    expect(text(relink)).toContain(w.core.i18n.t("en", "errors.core.steamAccountLocked"));
    expect(await w.core.accounts.get(`telegram:${telegram.member.userId}`)).toBeUndefined();

    // Unlocked, the member may unlink again and the account is free to link.
    await w.core.admin.unlock(`discord:${discord.member.userId}`, "admin:discord:1");
    expect(text(await runCommand(w.core, discord, "unlink", {}))).toContain("unlinked");
    expect(text(await runCommand(w.core, telegram, "link", { trade_url: url }))).toContain("Linked!");
  });
});

describe("/unlink", () => {
  it("is refused while any trade is in flight, even behind twenty newer finished ones", async () => {
    const inv = as("console", uid());
    const memberId = `console:${inv.member.userId}`;
    await w.core.accounts.link(memberId, w.tradeUrl());
    const record = (n: number, phase: TradeRecord["phase"]) =>
      depositRecordAt(`sb-de-guard${inv.member.userId}x${n}`, memberId, n, phase);
    await w.core.records.create(record(0, "open"));
    for (let n = 1; n <= 21; n++) await w.core.records.create(record(n, "closed"));
    expect(text(await runCommand(w.core, inv, "unlink", {}))).toContain(
      w.core.i18n.t("en", "link.unlinkBlocked"),
    );
    expect(await w.core.accounts.get(memberId)).toBeDefined();
  });
});

describe("a demoted admin", () => {
  it("cannot confirm the giveaway picker opened while still an admin", async () => {
    const adminId = uid();
    const recipient = `m${uid()}`;
    await w.core.accounts.link(`console:${recipient}`, w.tradeUrl());
    const reply = await runCommand(
      w.core,
      as("console", adminId, true),
      "admin",
      { member: recipient, item: "AK-47 Redline" },
      "giveaway",
    );
    if (reply.kind !== "view") throw new Error("expected a view");
    let view = reply.view;
    if (!view.select) {
      const first = view.buttons.flat().find((b) => !isLinkButton(b));
      if (!first || isLinkButton(first)) throw new Error("no listing to choose");
      view = (await answerAction(w.core, as("console", adminId, true), first.action)).view;
    }
    const option = view.select?.options.find((o) => !o.selected);
    view = (
      await answerAction(w.core, as("console", adminId, true), { ...view.select!.action, arg: option!.value })
    ).view;
    const confirm = view.buttons.flat().find((b) => !isLinkButton(b) && b.label === "Confirm");
    if (!confirm || isLinkButton(confirm)) throw new Error("no Confirm button");
    const tradesBefore = w.sandbox.trades.list().length;

    const demoted = await answerAction(w.core, as("console", adminId, false), confirm.action);
    expect(demoted.refused).toBe(true);
    expect(viewToPlainText(demoted.view)).toContain(w.core.i18n.t("en", "errors.core.notAdmin"));
    await w.sandbox.idle();
    expect(w.sandbox.trades.list().length).toBe(tradesBefore);
  });
});
