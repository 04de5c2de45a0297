/**
 * /link proven by Steam sign-in on Telegram, end to end: the real grammY platform on the fake
 * Bot API, the sandbox as both AssetPay and Steam's OpenID provider, the app's own listener as
 * PUBLIC_URL, and a browser (plain HTTP) following the member's sign-in button.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { TgMessage } from "../fakes/telegram/index.ts";
import { openPage, signInAtSteam, tamper } from "../support/steam-signin.ts";
import { buttons, startWorld, tradeUrl, type World } from "./support-telegram.ts";

let world: World;
let seen = 0;
beforeAll(async () => {
  world = await startWorld({ redisUrl: inject("redisUrl"), steamSignIn: true });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(() => {
  seen = world.fake.violations.length;
});
afterEach(() => {
  expect(world.fake.violations.slice(seen)).toEqual([]);
  expect(world.app.core.i18n.problems()).toEqual([]);
});

let partner = 91_000;
const account = () => {
  const p = partner++;
  return { url: tradeUrl(p), steamId: (76561197960265728n + BigInt(p)).toString() };
};
const signInUrl = (m: TgMessage) => {
  const url = buttons(m).find((b) => b.url?.includes("/steam/signin"))?.url;
  if (!url) throw new Error(`no sign-in button: ${JSON.stringify(buttons(m))}`);
  return url;
};
const t = (locale: string, key: string, params?: Record<string, string>) =>
  world.app.core.i18n.t(locale as "en", key as "signin.page.ok", params);

describe("linking through Steam sign-in on Telegram", () => {
  it("links after the member signs in at Steam and taps “I've signed in”", async () => {
    const member = world.member();
    const { url, steamId } = account();
    const prompt = await world.say(member, `/link ${url}`);
    expect(prompt.text).toContain(t("en", "link.signinPrompt", { steamId }));
    expect(await world.app.core.accounts.get(member.memberId)).toBeUndefined();
    const page = await openPage(await signInAtSteam(signInUrl(prompt), steamId));
    expect(page.outcome).toBe(t("en", "signin.page.ok", { steamId }));
    const linked = await world.press(member, prompt, "I've signed in");
    expect(linked.text).toContain("Linked!");
    expect(await world.app.core.accounts.get(member.memberId)).toMatchObject({
      steamId,
      provenAt: expect.any(String),
    });
  });

  it("refuses a mismatched, a tampered and a replayed answer in the member's language, linking nothing", async () => {
    const member = world.member({ language_code: "ru" });
    const { url, steamId } = account();
    const other = account().steamId;

    const first = await world.say(member, `/link ${url}`);
    const mismatch = await openPage(await signInAtSteam(signInUrl(first), other));
    expect(mismatch.status).toBe(400);
    expect(mismatch.outcome).toBe(t("ru", "signin.page.mismatch", { signedIn: other, steamId }));

    const second = await world.say(member, `/link ${url}`);
    const asOther = await signInAtSteam(signInUrl(second), other);
    const forged = new URL(asOther).searchParams.get("openid.claimed_id")!.replace(other, steamId);
    const tampered = await openPage(tamper(tamper(asOther, "claimed_id", forged), "identity", forged));
    expect(tampered.status).toBe(400);
    expect(tampered.outcome).toBe(t("ru", "signin.page.invalid"));
    world.tap(member, second, t("ru", "link.signinDone"));
    await world.waitForMessage(member.chat.id, new RegExp(t("ru", "errors.core.signinPending").slice(0, 30)));

    const third = await world.say(member, `/link ${url}`);
    const genuine = await signInAtSteam(signInUrl(third), steamId);
    expect((await openPage(genuine)).status).toBe(200);
    const replayed = await openPage(genuine);
    expect(replayed.status).toBe(400);
    expect(replayed.outcome).toBe(t("ru", "signin.page.replayed"));
    expect(await world.app.core.accounts.get(member.memberId)).toBeUndefined();
  });
});
