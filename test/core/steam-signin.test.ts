/**
 * /link proven by signing in through Steam, against the sandbox's Steam OpenID provider over
 * HTTP and the app's own listener: the happy path, and each way an answer is refused with a
 * localized page and nothing linked. Memory store and Redis.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { answerAction, type Invocation, runCommand } from "../../commands/runtime.ts";
import type { Sandbox } from "../../src/sandbox/server.ts";
import type { ActionButton, LinkButton, View } from "../../src/ui/view.ts";
import { isLinkButton } from "../../src/ui/view.ts";
import type { TestApp } from "../support/app-harness.ts";
import {
  openPage,
  signInAtSteam,
  startSignInApp,
  startSignInSandbox,
  tamper,
} from "../support/steam-signin.ts";

let partner = 8_100_000 + Math.floor(Math.random() * 100_000);
const account = () => {
  const p = partner++;
  return {
    url: `https://steamcommunity.com/tradeoffer/new/?partner=${p}&token=AbCdEf12`,
    steamId: (76561197960265728n + BigInt(p)).toString(),
  };
};

const member = (locale = "en"): Invocation => ({
  member: { platform: "console", userId: randomUUID().slice(0, 10), locale },
  isAdmin: false,
  caps: { platform: "console", pickerPageSize: 8 },
});
const idOf = (inv: Invocation) => `console:${inv.member.userId}`;

function buttonsOf(view: View): { signIn: LinkButton; done: ActionButton } {
  const all = view.buttons.flat();
  const signIn = all.find(isLinkButton);
  const done = all.find((b): b is ActionButton => !isLinkButton(b));
  if (!signIn || !done) throw new Error("no sign-in buttons");
  return { signIn, done };
}

describe.each([
  ["memory store", undefined],
  ["Redis store", "redis"],
])("Steam sign-in for /link (%s)", (_name, store) => {
  let sandbox: Sandbox;
  let app: TestApp;
  let clockOffsetMs = 0;
  beforeAll(async () => {
    sandbox = await startSignInSandbox();
    const redisUrl = store ? inject("redisUrl") : undefined;
    app = await startSignInApp(sandbox, {
      ...(redisUrl ? { redisUrl } : {}),
      overrides: { now: () => Date.now() + clockOffsetMs },
    });
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
  });

  const core = () => app.app.core;
  const startLink = async (inv: Invocation, url: string) => {
    const reply = await runCommand(core(), inv, "link", { trade_url: url });
    if (reply.kind !== "view") throw new Error("expected a view");
    return { view: reply.view, ...buttonsOf(reply.view) };
  };
  const press = (inv: Invocation, done: ActionButton) => answerAction(core(), inv, done.action);
  const t = (locale: string, key: string, params?: Record<string, string>) =>
    core().i18n.t(locale as "en", key as "signin.page.ok", params);

  it("links only once the member signed in as the trade URL's account and pressed “I've signed in”", async () => {
    const inv = member();
    const { url, steamId } = account();
    const { signIn, done } = await startLink(inv, url);
    expect(await core().accounts.get(idOf(inv))).toBeUndefined();
    const early = await press(inv, done);
    expect(early.refused).toBe(true);
    expect(JSON.stringify(early.view)).toContain(t("en", "errors.core.signinPending"));

    const page = await openPage(await signInAtSteam(signIn.url, steamId));
    expect(page.status).toBe(200);
    expect(page.outcome).toBe(t("en", "signin.page.ok", { steamId }));
    const answer = await press(inv, done);
    expect(answer.refused).toBe(false);
    expect(await core().accounts.get(idOf(inv))).toMatchObject({ steamId, provenAt: expect.any(String) });
    // Single use: a second press does not link again.
    expect((await press(inv, done)).refused).toBe(true);
  });

  it("refuses a tampered answer (another SteamID swapped in) with a localized page, and links nothing", async () => {
    const inv = member("de");
    const { url, steamId } = account();
    const other = account().steamId;
    const { signIn, done } = await startLink(inv, url);
    const back = await signInAtSteam(signIn.url, other);
    const claimed = new URL(back).searchParams.get("openid.claimed_id")!.replace(other, steamId);
    const page = await openPage(tamper(tamper(back, "claimed_id", claimed), "identity", claimed));
    expect(page.status).toBe(400);
    expect(page.outcome).toBe(t("de", "signin.page.invalid"));
    expect((await press(inv, done)).refused).toBe(true);
    expect(await core().accounts.get(idOf(inv))).toBeUndefined();
  });

  it("refuses a replayed answer, on the same sign-in and on another", async () => {
    const inv = member("pl");
    const { url, steamId } = account();
    const { signIn } = await startLink(inv, url);
    const back = await signInAtSteam(signIn.url, steamId);
    expect((await openPage(back)).status).toBe(200);
    const again = await openPage(back);
    expect(again.status).toBe(400);
    expect(again.outcome).toBe(t("pl", "signin.page.replayed"));
    // The same answer carried over to a fresh sign-in of an attacker: its return_to names the old one.
    const attacker = member();
    const second = await startLink(attacker, url);
    const moved = new URL(back);
    moved.searchParams.set("state", new URL(second.signIn.url).searchParams.get("state")!);
    expect((await openPage(moved.toString())).status).toBe(400);
    expect((await press(attacker, second.done)).refused).toBe(true);
    expect(await core().accounts.get(idOf(attacker))).toBeUndefined();
  });

  it("refuses an answer that arrives too late", async () => {
    const inv = member("tr");
    const { url, steamId } = account();
    const { signIn, done } = await startLink(inv, url);
    const back = await signInAtSteam(signIn.url, steamId);
    clockOffsetMs = 6 * 60_000;
    try {
      const page = await openPage(back);
      expect(page.status).toBe(400);
      expect(page.outcome).toBe(t("tr", "signin.page.expired"));
    } finally {
      clockOffsetMs = 0;
    }
    expect((await press(inv, done)).refused).toBe(true);
    expect(await core().accounts.get(idOf(inv))).toBeUndefined();
  });

  it("refuses “I've signed in” pressed by another chat identity than the one that started it", async () => {
    const owner = member();
    const intruder = member("uk");
    const { url, steamId } = account();
    const { signIn, done } = await startLink(owner, url);
    expect((await openPage(await signInAtSteam(signIn.url, steamId))).status).toBe(200);
    const stolen = await press(intruder, done);
    expect(stolen.refused).toBe(true);
    expect(JSON.stringify(stolen.view)).toContain(t("uk", "errors.core.signinNotYours"));
    expect(await core().accounts.get(idOf(intruder))).toBeUndefined();
    // The owner's sign-in is untouched by the attempt.
    expect((await press(owner, done)).refused).toBe(false);
    expect(await core().accounts.get(idOf(owner))).toMatchObject({ steamId });
  });

  it("refuses a sign-in as another Steam account than the trade URL's", async () => {
    const inv = member("es");
    const { url, steamId } = account();
    const other = account().steamId;
    const { signIn, done } = await startLink(inv, url);
    const page = await openPage(await signInAtSteam(signIn.url, other));
    expect(page.status).toBe(400);
    expect(page.outcome).toBe(t("es", "signin.page.mismatch", { signedIn: other, steamId }));
    expect((await press(inv, done)).refused).toBe(true);
    expect(await core().accounts.get(idOf(inv))).toBeUndefined();
  });

  it("stops a squatter who only knows a trade URL; the owner links it by signing in", async () => {
    const squatter = member();
    const owner = member();
    const { url, steamId } = account();
    const squat = await startLink(squatter, url);
    // The squatter cannot sign in as someone else's account: the link stays unmade.
    expect((await openPage(await signInAtSteam(squat.signIn.url, account().steamId))).status).toBe(400);
    expect((await press(squatter, squat.done)).refused).toBe(true);
    expect(await core().accounts.get(idOf(squatter))).toBeUndefined();
    expect(await core().accounts.ownerOf("console", steamId)).toBeUndefined();
    const mine = await startLink(owner, url);
    expect((await openPage(await signInAtSteam(mine.signIn.url, steamId))).status).toBe(200);
    expect((await press(owner, mine.done)).refused).toBe(false);
    expect(await core().accounts.ownerOf("console", steamId)).toBe(idOf(owner));
  });

  it("answers a forged or unknown sign-in link with the expired page", async () => {
    const page = await openPage(`${app.url}/steam/signin?state=forged.signature`);
    expect(page.status).toBe(400);
    expect(page.outcome).toBe(t("en", "signin.page.expired"));
  });
});
