/**
 * Webhook mode on Redis, end to end: Telegram delivers to the app's own listener with the secret
 * it was given; a deposit survives a restart of the whole app between two taps on its picker; a
 * forged or repeated delivery changes nothing.
 */
import { request } from "undici";
import { afterAll, afterEach, beforeAll, expect, inject, it } from "vitest";
import { SECRET_HEADER, WEBHOOK_PATH } from "../../src/platforms/telegram/index.ts";
import { buttons, startWorld, tradeUrl, WEBHOOK_SECRET, type World } from "./support-telegram.ts";

let world: World;
let webhookUrl: string;
beforeAll(async () => {
  world = await startWorld({ webhook: true, redisUrl: inject("redisUrl") });
  webhookUrl = `${world.config.http.publicUrl}${WEBHOOK_PATH}`;
});
afterAll(async () => world?.close());
afterEach(() => {
  expect(world.fake.violations).toEqual([]);
});

const itemLine = (text: string | undefined, n: number) =>
  (text ?? "").split("\n").find((l) => new RegExp(`^(✅|▫️) ${n}\\. `).test(l)) ?? "";
const cents = (line: string) => Math.round(Number(/— \$([\d,.]+)/.exec(line)?.[1]?.replace(/,/g, "")) * 100);

it("takes Telegram's updates on the webhook, and a deposit picked before a restart completes after it", async () => {
  const [setWebhook] = world.fake.callsTo("setWebhook");
  expect(setWebhook?.params).toMatchObject({
    url: webhookUrl,
    secret_token: WEBHOOK_SECRET,
    allowed_updates: ["message", "callback_query", "my_chat_member"],
  });
  expect(world.fake.callsTo("getUpdates")).toEqual([]);

  const member = world.member();
  await world.say(member, `/link ${tradeUrl(91_001)}`);
  let picker = await world.say(member, "/deposit rust");
  picker = await world.press(member, picker, /^1\. /);
  const first = cents(itemLine(picker.text, 1));

  await world.restart();

  picker = await world.press(member, picker, /^2\. /);
  expect(itemLine(picker.text, 1)).toMatch(/^✅ 1\. /);
  expect(itemLine(picker.text, 2)).toMatch(/^✅ 2\. /);
  const total = first + cents(itemLine(picker.text, 2));
  const receipt = await world.press(member, picker, "Confirm");
  expect(receipt.text).toMatch(/^✅ Deposit started/);

  await world.sandbox.clock.advance(70);
  const credited = await world.waitForMessage(member.chat.id, /^✅ Deposit complete/);
  const amount = world.app.core.i18n.money("en", total);
  expect(credited.text).toContain(`${amount} was added to your balance. New balance: ${amount}.`);
  expect(await world.app.core.ledger.balance(member.memberId)).toEqual({
    availableCents: total,
    heldCents: 0,
  });
  expect(buttons(receipt)).toEqual([]);
});

it("refuses a delivery without the secret and runs a repeated update only once", async () => {
  const member = world.member();
  const update = {
    update_id: 777_000_001,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: member.chat,
      from: member.user,
      text: "/balance",
      entities: [{ type: "bot_command", offset: 0, length: 8 }],
    },
  };
  const post = async (headers: Record<string, string>) => {
    const res = await request(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(update),
    });
    await res.body.dump();
    return res.statusCode;
  };

  expect(await post({})).toBe(401);
  expect(await post({ [SECRET_HEADER]: "not-the-secret" })).toBe(401);
  await world.platform.idle();
  expect(world.botMessages(member.chat.id)).toEqual([]);

  expect(await post({ [SECRET_HEADER]: WEBHOOK_SECRET })).toBe(200);
  expect(await post({ [SECRET_HEADER]: WEBHOOK_SECRET })).toBe(200);
  await world.platform.idle();
  const answers = world.botMessages(member.chat.id);
  expect(answers).toHaveLength(1);
  expect(answers[0]?.text).toContain("Available: $0.00");
});
