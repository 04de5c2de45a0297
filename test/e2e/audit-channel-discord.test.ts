/**
 * The moderators' audit channel on Discord, through the real discord.js client and the fake
 * Discord: an adjustment and a withdrawal pause arrive as they happen, naming the member and
 * the moderator without pinging anyone, with the balances before and after.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_CHANNEL_ID } from "../fakes/discord/index.ts";
import { eventually } from "../support/app-harness.ts";
import { type DiscordWorld, interact, startDiscordWorld, textOf, USERS } from "./support-discord.ts";

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({
    redisUrl: inject("redisUrl"),
    env: { DISCORD_AUDIT_CHANNEL_ID: DEFAULT_CHANNEL_ID },
  });
});
afterAll(async () => {
  await world?.close();
});

function auditShows(pattern: RegExp): Promise<string> {
  return eventually(() => {
    const posted = world.fake.channelMessages(DEFAULT_CHANNEL_ID);
    const text = posted.map((m) => m.content ?? "").join("\n");
    if (!pattern.test(text)) throw new Error(`audit channel never showed ${pattern}:\n${text}`);
    return text;
  }, 10_000);
}

describe("the audit channel", () => {
  it("receives an adjustment and a pause as they happen, with names and balances, pinging nobody", async () => {
    const adjusted = await interact(world.fake, {
      type: "command",
      name: "admin",
      subcommand: "adjust",
      userId: USERS.erin,
      options: { member: USERS.alice, amount: "12.50", reason: "welcome bonus" },
    });
    expect(textOf(adjusted.message)).toContain("Adjusted Alice's balance by +$12.50");
    await interact(world.fake, {
      type: "command",
      name: "admin",
      subcommand: "pause",
      userId: USERS.erin,
      options: { what: "withdrawals" },
    });
    const text = await auditShows(/Withdrawals are now paused/);
    const adjustment = text.indexOf(
      "Alice · Adjusted by a moderator +$12.50 · available $0.00 → $12.50 · held $0.00 → $0.00 · reason: welcome bonus · by erin",
    );
    const pause = text.indexOf("erin: Withdrawals are now paused for everyone.");
    expect(adjustment).toBeGreaterThanOrEqual(0);
    expect(pause).toBeGreaterThan(adjustment);
    expect(text).not.toMatch(/discord:\d|<@/);
    for (const m of world.fake.channelMessages(DEFAULT_CHANNEL_ID)) {
      expect(m.mentions ?? []).toEqual([]);
    }
  });
});
