/**
 * The real Telegram platform while AssetPay is slow for one member: other members are answered
 * meanwhile, and the slow member's next message waits for their first. Long polling (grammY
 * runner) and webhook mode alike; in webhook mode Telegram's fake delivers one update at a time and
 * waits for each answer, so the other member's answer also proves the webhook was answered early.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { holdNextCall, type Stall } from "../support/stall.ts";
import { type Member, startWorld, tradeUrl, type World } from "./support-telegram.ts";

/** Holds the next AssetPay inventory call until released: AssetPay taking its time for one member. */
const holdNextInventory = (app: App): Stall => holdNextCall(app.core.client, "inventory");

describe.each([
  ["long polling", false],
  ["webhook", true],
])("Telegram in %s mode", (_mode, webhook) => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ webhook });
  });
  afterAll(async () => world?.close());
  afterEach(() => {
    expect(world.fake.violations).toEqual([]);
  });

  let nextPartner = webhook ? 81_000 : 80_000;
  async function linkedMember(): Promise<Member> {
    const member = world.member();
    const reply = await world.say(member, `/link ${tradeUrl(nextPartner++)}`);
    expect(reply.text).toMatch(/^✅ Linked!/);
    return member;
  }

  it("answers another member while AssetPay is slow for one, and that member's next message only after their first", async () => {
    const alice = await linkedMember();
    const bob = await linkedMember();
    const before = world.botMessages(alice.chat.id).length;

    const slow = holdNextInventory(world.app);
    try {
      world.fake.sendText(alice.user, alice.chat, "/deposit");
      await slow.reached;
      world.fake.sendText(alice.user, alice.chat, "/balance");
      const bobs = await world.say(bob, "/balance");
      expect(bobs.text).toContain("Available: $0.00");
      expect(world.botMessages(alice.chat.id)).toHaveLength(before);
    } finally {
      slow.release();
    }
    const answered = await world.fake.waitFor(() => {
      const sent = world.botMessages(alice.chat.id).slice(before);
      return sent.length === 2 && sent;
    });
    expect(answered.map((m) => m.text)).toEqual([
      expect.stringMatching(/^Choose skins to deposit\n/),
      expect.stringContaining("Available: $0.00"),
    ]);
  });

  it("answers a button press at once even while the member's earlier message waits on AssetPay", async () => {
    const alice = await linkedMember();
    const picker = await world.say(alice, "/deposit");
    const before = world.botMessages(alice.chat.id).length;

    const slow = holdNextInventory(world.app);
    try {
      world.fake.sendText(alice.user, alice.chat, "/deposit");
      await slow.reached;
      const answer = await world.tap(alice, picker, /^1\. /).answered;
      expect(answer.accepted).toBe(true);
      expect(world.botMessages(alice.chat.id)).toHaveLength(before);
    } finally {
      slow.release();
    }
    await world.platform.idle();
  });
});
