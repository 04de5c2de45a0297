/**
 * /link proven by Steam sign-in on Discord, end to end: the real discord.js client on the fake
 * Discord, the sandbox as both AssetPay and Steam's OpenID provider, the app's own listener as
 * PUBLIC_URL, and a browser (plain HTTP) following the member's sign-in button.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { openPage, signInAtSteam, tamper } from "../support/steam-signin.ts";
import {
  buttonId,
  buttons,
  type DiscordWorld,
  interact,
  startDiscordWorld,
  textOf,
  tradeUrl,
  USERS,
} from "./support-discord.ts";

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ redisUrl: inject("redisUrl"), steamSignIn: true });
});
afterAll(async () => {
  await world?.close();
});
afterEach(() => {
  expect(world.fake.violations).toEqual([]);
  expect(world.app.core.i18n.problems()).toEqual([]);
});

let partner = 93_000;
const account = () => {
  const p = partner++;
  return { url: tradeUrl(p), steamId: (76561197960265728n + BigInt(p)).toString() };
};
const memberId = (userId: string) => `discord:${userId}`;
const t = (key: string, params?: Record<string, string>) =>
  world.app.core.i18n.t("en", key as "signin.page.ok", params);

async function startLink(userId: string, url: string) {
  const { message } = await interact(world.fake, {
    type: "command",
    name: "link",
    userId,
    options: { trade_url: url },
  });
  const signIn = buttons(message).find((b) => b.url?.includes("/steam/signin"))?.url;
  if (!signIn) throw new Error(`no sign-in button: ${JSON.stringify(buttons(message))}`);
  return { message, signIn };
}

const pressDone = async (userId: string, message: Awaited<ReturnType<typeof startLink>>["message"]) =>
  textOf(
    (
      await interact(world.fake, {
        type: "button",
        userId,
        messageId: message.id,
        customId: buttonId(message, "I've signed in"),
      })
    ).message,
  );

describe("linking through Steam sign-in on Discord", () => {
  it("links after the member signs in at Steam and presses “I've signed in”", async () => {
    const { url, steamId } = account();
    const { message, signIn } = await startLink(USERS.alice, url);
    expect(textOf(message)).toContain(t("link.signinPrompt", { steamId }));
    expect(await world.app.core.accounts.get(memberId(USERS.alice))).toBeUndefined();
    const page = await openPage(await signInAtSteam(signIn, steamId));
    expect(page.outcome).toBe(t("signin.page.ok", { steamId }));
    expect(await pressDone(USERS.alice, message)).toContain("Linked!");
    expect(await world.app.core.accounts.get(memberId(USERS.alice))).toMatchObject({
      steamId,
      provenAt: expect.any(String),
    });
  });

  it("refuses a mismatched, a tampered and a replayed answer, linking nothing", async () => {
    const { url, steamId } = account();
    const other = account().steamId;
    const first = await startLink(USERS.bruno, url);
    const asOther = await signInAtSteam(first.signIn, other);
    expect((await openPage(asOther)).outcome).toBe(t("signin.page.mismatch", { signedIn: other, steamId }));

    const second = await startLink(USERS.bruno, url);
    const again = await signInAtSteam(second.signIn, other);
    const forged = new URL(again).searchParams.get("openid.claimed_id")!.replace(other, steamId);
    const tampered = await openPage(tamper(tamper(again, "claimed_id", forged), "identity", forged));
    expect(tampered.outcome).toBe(t("signin.page.invalid"));
    expect(await pressDone(USERS.bruno, second.message)).toContain(t("errors.core.signinPending"));

    const third = await startLink(USERS.bruno, url);
    const genuine = await signInAtSteam(third.signIn, steamId);
    expect((await openPage(genuine)).status).toBe(200);
    expect((await openPage(genuine)).outcome).toBe(t("signin.page.replayed"));
    expect(await world.app.core.accounts.get(memberId(USERS.bruno))).toBeUndefined();
  });

  it("keeps a squatter who only knows the trade URL from linking it", async () => {
    const { url, steamId } = account();
    const squat = await startLink(USERS.dana, url);
    expect(await pressDone(USERS.dana, squat.message)).toContain(t("errors.core.signinPending"));
    expect(await world.app.core.accounts.get(memberId(USERS.dana))).toBeUndefined();
    expect(await world.app.core.accounts.ownerOf("discord", steamId)).toBeUndefined();
  });
});
