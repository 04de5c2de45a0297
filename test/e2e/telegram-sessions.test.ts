/**
 * Pickers over time, end to end: one that outlived its session, and a confirm that AssetPay takes
 * longer to answer than Telegram waits for answerCallbackQuery.
 */
import { afterEach, expect, it, vi } from "vitest";
import { buttonData, buttons, type Member, startWorld, tradeUrl, type World } from "./support-telegram.ts";

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  expect(world.fake.violations).toEqual([]);
  await world.close();
  world = undefined;
});

async function linked(w: World, partner: number): Promise<Member> {
  const member = w.member();
  expect((await w.say(member, `/link ${tradeUrl(partner)}`)).text).toMatch(/^✅ Linked!/);
  return member;
}

it("tells a member whose picker expired to start again, and takes its dead buttons away", async () => {
  // The app's clock stands still until the test moves it past the picker's expiry.
  let at = Date.parse("2026-07-01T12:00:00.000Z");
  world = await startWorld({ app: { now: () => at } });
  const member = await linked(world, 81_001);
  const picker = await world.say(member, "/deposit");
  const session = buttonData(picker, /^1\. /).split(":")[2] as string;
  const { expiresAt } = await world.app.core.trading.load(member.memberId, session);
  expect(expiresAt - at).toBe(world.config.picker.ttlSeconds * 1000);
  at = expiresAt;

  const expired = await world.press(member, picker, /^1\. /);
  expect(expired.text).toBe("⚠️ This list has expired. Run the command again to get a fresh one.");
  expect(buttons(expired)).toEqual([]);
});

it("answers a Confirm tap at once even when AssetPay takes longer than Telegram waits", async () => {
  // AssetPay's offer creation is held (through the sandbox's injected sleep) until the test has
  // seen the tap answered: the answer cannot have waited for AssetPay.
  let creating: (() => void) | undefined;
  const created = new Promise<void>((resolve) => {
    creating = resolve;
  });
  let held = false;
  world = await startWorld({
    sandbox: {
      createLatencyMs: 1_500,
      sleep: async (ms) => {
        if (ms !== 1_500) return;
        held = true;
        await created;
      },
    },
  });
  const member = await linked(world, 81_002);
  let picker = await world.say(member, "/deposit");
  picker = await world.press(member, picker, /^1\. /);

  const tap = world.tap(member, picker, "Confirm");
  const answer = await tap.answered;
  expect(answer.accepted).toBe(true);
  expect(answer.params.text).toBe("Working on it…");
  const started = (c: { params: Record<string, unknown> }) =>
    String(c.params["text"]).includes("Deposit started");
  expect(world.fake.callsTo("editMessageText").filter(started)).toEqual([]);

  await vi.waitFor(() => expect(held).toBe(true));
  creating?.();
  await world.fake.waitForCall("editMessageText", {
    where: (p) => typeof p.text === "string" && p.text.includes("Deposit started"),
  });
});
