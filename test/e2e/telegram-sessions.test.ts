/**
 * Pickers over time, end to end: one that outlived its session, and a confirm that AssetPay takes
 * longer to answer than Telegram waits for answerCallbackQuery.
 */
import { afterEach, expect, it } from "vitest";
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
  world = await startWorld({ env: { PICKER_TTL_SECONDS: "1" } });
  const member = await linked(world, 81_001);
  const picker = await world.say(member, "/deposit");
  const session = buttonData(picker, /^1\. /).split(":")[2] as string;
  const { expiresAt } = await world.app.core.trading.load(member.memberId, session);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 10));

  const expired = await world.press(member, picker, /^1\. /);
  expect(expired.text).toBe("⚠️ This list has expired. Run the command again to get a fresh one.");
  expect(buttons(expired)).toEqual([]);
});

it("answers a Confirm tap at once even when AssetPay takes longer than Telegram waits", async () => {
  world = await startWorld({
    fake: { callbackAnswerDeadlineMs: 1_000 },
    sandbox: { createLatencyMs: 1_500 },
  });
  const member = await linked(world, 81_002);
  let picker = await world.say(member, "/deposit");
  picker = await world.press(member, picker, /^1\. /);

  const tap = world.tap(member, picker, "Confirm");
  const answer = await tap.answered;
  // Accepted means it came within the fake's 1 s deadline, while AssetPay took 1.5 s.
  expect(answer.accepted).toBe(true);
  expect(answer.params.text).toBe("Working on it…");

  const edit = await world.fake.waitForCall("editMessageText", {
    where: (p) => typeof p.text === "string" && p.text.includes("Deposit started"),
  });
  expect(edit.at - answer.at).toBeGreaterThanOrEqual(1_400);
});
