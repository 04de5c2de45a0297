/**
 * Member notifications through the persisted outbox: delivered once; a member whose DMs are
 * closed is marked unreachable, told in their next interaction, and reads the notice in /inbox.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../commands/runtime.ts";
import { viewToPlainText } from "../../src/ui/plain-text.ts";
import {
  eventually,
  postSignedCallback,
  startTestApp,
  type TestApp,
  testConfig,
} from "../support/app-harness.ts";
import { depositCallback, startedDeposit } from "../support/deposit-fixtures.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(testConfig());
});
afterAll(async () => {
  await t?.close();
});

async function completedDeposit(userId: string, cents: number) {
  const deposit = await startedDeposit(t.app.core, `console:${userId}`, cents, "AWP | Asiimov");
  const id = deposit.id;
  expect((await postSignedCallback(t.callbackUrl, depositCallback(deposit, "completed", cents))).status).toBe(
    200,
  );
  return id;
}

const invocation = (userId: string) => ({
  member: { platform: "console" as const, userId, locale: "en" },
  isAdmin: false,
  caps: { platform: "console" as const, pickerPageSize: 8 },
});

describe("notifications", () => {
  it("keeps a notice a member with closed DMs could not get, tells them once, and shows it in /inbox", async () => {
    const userId = `closed-${randomUUID().slice(0, 6)}`;
    t.notifier.closed.add(userId);
    const tradeId = await completedDeposit(userId, 4321);
    await eventually(async () => {
      expect((await t.app.core.members.get(`console:${userId}`)).unreachable?.reason).toBe("closed DMs");
    });
    expect(t.notifier.sent.some((s) => s.notice.tradeId === tradeId)).toBe(false);

    const first = await runCommand(t.app.core, invocation(userId), "balance", {});
    expect(first.kind === "view" && viewToPlainText(first.view)).toContain(
      "couldn't send you a direct message",
    );
    // The balance shows the member's journal, in their words.
    expect(first.kind === "view" && viewToPlainText(first.view)).toMatch(/Deposit credited · \+\$43\.21/);
    const second = await runCommand(t.app.core, invocation(userId), "balance", {});
    expect(second.kind === "view" && viewToPlainText(second.view)).not.toContain(
      "couldn't send you a direct message",
    );

    const inbox = await runCommand(t.app.core, invocation(userId), "inbox", {});
    const text = inbox.kind === "view" ? viewToPlainText(inbox.view) : "";
    expect(text).toContain("Deposit complete: $43.21 was added to your balance");
    const again = await runCommand(t.app.core, invocation(userId), "inbox", {});
    expect(again.kind === "view" && viewToPlainText(again.view)).toContain("all caught up");
  });

  it("sends nothing to a member known to be unreachable until they are back, then delivers", async () => {
    const userId = `away-${randomUUID().slice(0, 6)}`;
    await t.app.core.members.update(`console:${userId}`, (p) => {
      p.unreachable = { since: new Date().toISOString(), reason: "closed DMs", told: true };
      return p;
    });
    const attempts = () => t.notifier.attempts.filter((r) => r.userId === userId).length;
    const away = await completedDeposit(userId, 100);
    // Straight to /inbox: not one send is tried while they are away.
    await eventually(async () => {
      const missed = await t.app.core.outbox.inbox({ platform: "console", userId }, { limit: 5 });
      expect(missed.map((n) => (n.payload as { tradeId: string }).tradeId)).toContain(away);
    });
    expect(attempts()).toBe(0);

    // They use the bot again: they are back, and the next notice is delivered once.
    await runCommand(t.app.core, invocation(userId), "balance", {});
    expect((await t.app.core.members.get(`console:${userId}`)).unreachable).toBeUndefined();
    const back = await completedDeposit(userId, 200);
    await eventually(() => {
      expect(t.notifier.sent.filter((s) => s.notice.tradeId === back)).toHaveLength(1);
    });
    expect(t.notifier.sent.filter((s) => s.notice.tradeId === away)).toHaveLength(0);
  });
});
