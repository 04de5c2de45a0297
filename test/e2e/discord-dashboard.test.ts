/**
 * `/admin dashboard` on Discord: the link comes in an ephemeral reply (only the moderator sees
 * it), a moderator by role signs in with it, and a member without the role gets no link.
 */
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type DiscordWorld, interact, startDiscordWorld, textOf, USERS } from "./support-discord.ts";

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ redisUrl: inject("redisUrl") });
});
afterAll(async () => world?.close());

const dashboard = (userId: string) =>
  interact(world.fake, { type: "command", name: "admin", subcommand: "dashboard", userId, options: {} });

describe("/admin dashboard on Discord", () => {
  it("answers a moderator by role privately with a link that signs them in", async () => {
    const { message } = await dashboard(USERS.erin);
    expect(message.flags).toBe(64);
    const link = /(https?:\/\/[^\s/]+)\/dashboard\/sign-in\?token=([\w-]+)/.exec(textOf(message));
    expect(link).not.toBeNull();
    const [, origin, token] = link as RegExpExecArray;

    const signIn = await request(`${origin}/dashboard/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: token ?? "" }).toString(),
    });
    await signIn.body.dump();
    expect(signIn.statusCode).toBe(303);
    const cookie = String(signIn.headers["set-cookie"]).split(";")[0] ?? "";
    const page = await request(`${origin}/dashboard/members`, { headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain(`discord:${USERS.erin}`);
  });

  it("gives a member without the moderator role no link", async () => {
    const { message } = await dashboard(USERS.alice);
    expect(message.flags).toBe(64);
    expect(textOf(message)).not.toMatch(/sign-in\?token=/);
    expect(await world.app.core.dashboard.moderators.isModerator(`discord:${USERS.alice}`)).toBe(false);
  });
});
