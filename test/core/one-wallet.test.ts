/**
 * One person on Discord and Telegram is one member: a Telegram identity joins the Discord
 * member's wallet by proving the same Steam account through Steam sign-in, or with a one-time
 * code; money already held on each side moves exactly (sums equal before and after, one journal
 * entry on each side), and a lock set from Telegram stops a withdrawal on Discord. Through the
 * commands both platforms run, against the sandbox (AssetPay and Steam's OpenID) over HTTP.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { answerAction, type Invocation, runCommand } from "../../commands/runtime.ts";
import type { Reply } from "../../commands/types.ts";
import type { Sandbox } from "../../src/sandbox/server.ts";
import { viewToPlainText } from "../../src/ui/plain-text.ts";
import { type ActionButton, isLinkButton, type View } from "../../src/ui/view.ts";
import { eventually, type TestApp } from "../support/app-harness.ts";
import { openPage, signInAtSteam, startSignInApp, startSignInSandbox } from "../support/steam-signin.ts";

let seq = 1_500_000_000 + Math.floor(Math.random() * 1e6);
let partner = 8_600_000 + Math.floor(Math.random() * 100_000);
const account = () => {
  const p = partner++;
  return {
    url: `https://steamcommunity.com/tradeoffer/new/?partner=${p}&token=AbCdEf12`,
    steamId: (76561197960265728n + BigInt(p)).toString(),
  };
};
const as = (platform: "discord" | "telegram", isAdmin = false, userId = String(seq++)): Invocation => ({
  member: { platform, userId, locale: "en" },
  isAdmin,
  caps: { platform, pickerPageSize: 8 },
});
const idOf = (inv: Invocation) => `${inv.member.platform}:${inv.member.userId}`;
const viewOf = (r: Reply): View => {
  if (r.kind !== "view") throw new Error("expected a view");
  return r.view;
};

describe.each([
  ["memory store", undefined],
  ["Redis store", "redis"],
])("one wallet across platforms (%s)", (_name, store) => {
  let sandbox: Sandbox;
  let app: TestApp;
  beforeAll(async () => {
    sandbox = await startSignInSandbox();
    app = await startSignInApp(sandbox, store ? { redisUrl: inject("redisUrl") } : {});
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
  });
  const core = () => app.app.core;
  const fund = (memberId: string, cents: number) =>
    core().admin.adjust({ actor: "admin:test", memberId, amountCents: cents, reason: "test funds" });

  /** /link through Steam sign-in, as `inv`, for the account behind `url`; answers the final view. */
  async function signInLink(inv: Invocation, url: string, steamId: string): Promise<View> {
    const prompt = viewOf(await runCommand(core(), inv, "link", { trade_url: url }));
    const buttons = prompt.buttons.flat();
    const signIn = buttons.find(isLinkButton);
    const done = buttons.find((b): b is ActionButton => !isLinkButton(b));
    expect((await openPage(await signInAtSteam(signIn!.url, steamId))).status).toBe(200);
    const answer = await answerAction(core(), inv, done!.action);
    expect(answer.refused).toBe(false);
    return answer.view;
  }

  it("joins a Telegram identity to the Discord wallet by signing in as the same Steam account", async () => {
    const discord = as("discord");
    const telegram = as("telegram");
    const { url, steamId } = account();
    expect(viewToPlainText(await signInLink(discord, url, steamId))).toContain("Linked!");
    await fund(idOf(discord), 10_000);
    await fund(idOf(telegram), 2_550);
    const totalsBefore = await core().ledger.totals();

    const joined = viewToPlainText(await signInLink(telegram, url, steamId));
    expect(joined).toContain("Joined!");
    expect(joined).toContain("$25.50");
    expect(await core().ledger.balance(idOf(discord))).toEqual({ availableCents: 12_550, heldCents: 0 });
    expect(await core().ledger.balance(idOf(telegram))).toEqual({ availableCents: 0, heldCents: 0 });
    const totalsAfter = await core().ledger.totals();
    expect(totalsAfter.availableCents + totalsAfter.heldCents).toBe(
      totalsBefore.availableCents + totalsBefore.heldCents,
    );
    const moves = [
      ...(await core().ledger.journal(idOf(discord))),
      ...(await core().ledger.journal(idOf(telegram))),
    ].filter((e) => e.reason === "wallet-join");
    expect(moves.map((e) => e.availableDeltaCents).sort((a, b) => a - b)).toEqual([-2_550, 2_550]);

    // From Telegram the member now sees the one wallet and the one Steam account.
    const balance = viewToPlainText(viewOf(await runCommand(core(), telegram, "balance", {})));
    expect(balance).toContain("$125.50");
    expect(await core().identities.resolve(idOf(telegram))).toBe(idOf(discord));
  });

  it("joins with a one-time code shown on Discord and entered on Telegram, once", async () => {
    const discord = as("discord");
    const telegram = as("telegram");
    await fund(idOf(discord), 4_000);
    await fund(idOf(telegram), 1_234);
    const shown = viewToPlainText(viewOf(await runCommand(core(), discord, "join", {})));
    const code = /Your code: ([A-Z0-9]{8})/.exec(shown)?.[1];
    expect(code).toBeDefined();
    const joined = viewToPlainText(viewOf(await runCommand(core(), telegram, "join", { code: code! })));
    expect(joined).toContain("Joined!");
    expect(await core().ledger.balance(idOf(discord))).toEqual({ availableCents: 5_234, heldCents: 0 });
    expect(
      (await core().ledger.journal(idOf(telegram))).filter((e) => e.reason === "wallet-join"),
    ).toHaveLength(1);
    // Spent: a second identity cannot use the same code.
    const again = viewToPlainText(viewOf(await runCommand(core(), as("telegram"), "join", { code: code! })));
    expect(again).toContain(core().i18n.t("en", "errors.core.joinCodeInvalid"));

    // A moderator splits them again: the Telegram identity is its own (empty) member, the money stays.
    const moderator = as("telegram", true);
    const split = viewToPlainText(
      viewOf(await runCommand(core(), moderator, "admin", { member: telegram.member.userId }, "split")),
    );
    expect(split).toContain(`telegram:${telegram.member.userId} is its own member again`);
    expect(await core().identities.resolve(idOf(telegram))).toBe(idOf(telegram));
    expect(viewToPlainText(viewOf(await runCommand(core(), telegram, "balance", {})))).toContain("$0.00");
    expect(await core().ledger.balance(idOf(discord))).toEqual({ availableCents: 5_234, heldCents: 0 });
  });

  it("a locked chat account cannot shed its lock by joining another wallet", async () => {
    const discord = as("discord");
    const telegram = as("telegram");
    await fund(idOf(telegram), 900);
    await core().admin.lock(idOf(telegram), "chargeback", "admin:telegram:1");
    const code = /Your code: ([A-Z0-9]{8})/.exec(
      viewToPlainText(viewOf(await runCommand(core(), discord, "join", {}))),
    )?.[1];
    const refused = viewToPlainText(viewOf(await runCommand(core(), telegram, "join", { code: code! })));
    expect(refused).toContain(core().i18n.t("en", "errors.core.memberLocked"));
    expect(await core().identities.resolve(idOf(telegram))).toBe(idOf(telegram));
    expect(await core().ledger.balance(idOf(telegram))).toEqual({ availableCents: 900, heldCents: 0 });
  });

  it("a lock set on Telegram stops a withdrawal on Discord", async () => {
    const discord = as("discord");
    const telegram = as("telegram");
    const { url, steamId } = account();
    await signInLink(discord, url, steamId);
    await fund(idOf(discord), 50_000);
    const code = /Your code: ([A-Z0-9]{8})/.exec(
      viewToPlainText(viewOf(await runCommand(core(), discord, "join", {}))),
    )?.[1];
    await runCommand(core(), telegram, "join", { code: code! });

    const moderator = as("telegram", true);
    await runCommand(
      core(),
      moderator,
      "admin",
      { member: telegram.member.userId, reason: "fraud check" },
      "lock",
    );
    await expect(
      core().trading.openWithdraw(await core().identities.resolve(idOf(discord)), {
        catalogId: "x",
        name: "AK-47 | Redline",
        game: "730",
        pageSize: 8,
      }),
    ).rejects.toMatchObject({ key: "memberLocked" });
    // On Discord: /withdraw says so before any market search.
    const search = viewOf(await runCommand(core(), discord, "withdraw", { item: "AK-47 Redline" }));
    expect(search.buttons.flat().filter((b) => !isLinkButton(b))).toEqual([]);
    expect(viewToPlainText(search)).toContain(core().i18n.t("en", "errors.core.memberLocked"));
  });

  it("tells the person on the platform they used last", async () => {
    const first = {
      ...as("discord"),
      member: { platform: "console" as const, userId: `w${seq++}`, locale: "en" },
    };
    const second = {
      ...as("telegram"),
      member: { platform: "console" as const, userId: `t${seq++}`, locale: "en" },
    };
    const { url, steamId } = account();
    await signInLink(first, url, steamId);
    const code = /Your code: ([A-Z0-9]{8})/.exec(
      viewToPlainText(viewOf(await runCommand(core(), first, "join", {}))),
    )?.[1];
    await runCommand(core(), second, "join", { code: code! });
    expect(await core().identities.recipientFor(idOf(first))).toBe(idOf(second));

    // A deposit of the wallet: its offer notice goes to the identity used last.
    const wallet = idOf(first);
    let s = await core().trading.openDeposit(wallet, { game: "730", pageSize: 8 });
    const index = s.entries.findIndex((e) => e.selectable);
    s = await core().trading.act(wallet, s.id, { kind: "toggle", index });
    const { trade } = await core().trading.confirm(wallet, s.id);
    await sandbox.clock.advance(10);
    await sandbox.idle();
    const sent = await eventually(() => {
      const hit = app.notifier.sent.find((n) => n.notice.tradeId === trade?.id);
      if (!hit) throw new Error("no notice yet");
      return hit;
    });
    expect(sent.recipient).toMatchObject({ platform: "console", userId: second.member.userId });

    // Back on the first platform: that is where the next notice goes.
    await runCommand(core(), first, "balance", {});
    expect(await core().identities.recipientFor(wallet)).toBe(wallet);
  });
});
