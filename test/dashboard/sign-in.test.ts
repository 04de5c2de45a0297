/**
 * The dashboard's sign-in pieces on their own, with a fake clock: single-use links that expire,
 * signed session cookies that cannot be forged, stretched or replayed after they end, and the
 * moderator check that follows the config.
 */
import { randomUUID } from "node:crypto";
import { Keyv } from "keyv";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createModerators } from "../../src/core/dashboard/moderators.ts";
import { createSessions, deriveSessionKey } from "../../src/core/dashboard/sessions.ts";
import { createSignInLinks, tokenDigest } from "../../src/core/dashboard/sign-in.ts";
import { createKeyValueStores } from "../../src/store/kv.ts";
import { connectRedis } from "../../src/store/redis.ts";

let now = Date.UTC(2026, 11, 6, 12, 0, 0);
const clock = () => now;
const MINUTE = 60_000;

const redis = await connectRedis(inject("redisUrl"));
afterAll(() => redis.close());

const stores = {
  memory: () => new Keyv(),
  redis: () => createKeyValueStores({ redis, prefix: `dash-${randomUUID().slice(0, 8)}:` }).misc,
};

describe.each(Object.entries(stores))("sign-in links (%s store)", (_name, store) => {
  it("work once, for the moderator they were minted for", async () => {
    const links = createSignInLinks({ kv: store(), ttlMs: 10 * MINUTE, now: clock });
    const { token, expiresAt } = await links.mint("telegram:42");
    expect(expiresAt).toBe(now + 10 * MINUTE);
    expect(await links.redeem(token)).toEqual({ ok: true, memberId: "telegram:42" });
    expect(await links.redeem(token)).toEqual({ ok: false, why: "unknown" });
  });

  it("give one session to only one of two browsers racing with the same link", async () => {
    const links = createSignInLinks({ kv: store(), ttlMs: 10 * MINUTE, now: clock });
    const { token } = await links.mint("telegram:42");
    const results = await Promise.all(Array.from({ length: 5 }, () => links.redeem(token)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("are refused once expired, and cannot be retried after", async () => {
    const links = createSignInLinks({ kv: store(), ttlMs: 10 * MINUTE, now: clock });
    const { token } = await links.mint("telegram:42");
    now += 10 * MINUTE;
    expect(await links.redeem(token)).toEqual({ ok: false, why: "expired" });
    now -= 10 * MINUTE;
    expect(await links.redeem(token)).toEqual({ ok: false, why: "unknown" });
  });

  it("refuse tokens they never minted, and keep only a digest of the ones they did", async () => {
    const kv = store();
    const links = createSignInLinks({ kv, ttlMs: 10 * MINUTE, now: clock });
    const { token } = await links.mint("telegram:42");
    expect(await kv.get(`dashboard-link:${token}`)).toBeUndefined();
    expect(await kv.get(`dashboard-link:${tokenDigest(token)}`)).toMatchObject({ memberId: "telegram:42" });
    for (const forged of [
      "",
      "x",
      token.slice(0, -1),
      `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`,
      "../../etc/passwd",
    ])
      expect((await links.redeem(forged)).ok).toBe(false);
  });
});

describe("session cookies", () => {
  const key = deriveSessionKey("test-api-secret-0123456789");
  const sessions = createSessions({ key, lifetimeMs: 60 * MINUTE, now: clock });

  it("carry the moderator until their lifetime ends", () => {
    const { cookie, session } = sessions.issue("discord:7");
    expect(sessions.verify(cookie)).toEqual(session);
    now += 60 * MINUTE - 1;
    expect(sessions.verify(cookie)?.memberId).toBe("discord:7");
    now += 1;
    expect(sessions.verify(cookie)).toBeUndefined();
    now -= 60 * MINUTE;
  });

  it("refuse a cookie whose payload was changed, or signed with another secret", () => {
    const { cookie } = sessions.issue("discord:7");
    const [payload, mac] = cookie.split(".") as [string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const edited = Buffer.from(JSON.stringify({ ...claims, memberId: "discord:8" })).toString("base64url");
    expect(sessions.verify(`${edited}.${mac}`)).toBeUndefined();
    const other = createSessions({
      key: deriveSessionKey("another-secret-0123"),
      lifetimeMs: 60 * MINUTE,
      now: clock,
    });
    expect(sessions.verify(other.issue("discord:7").cookie)).toBeUndefined();
    for (const junk of [undefined, "", ".", "abc", `${payload}.`, "x".repeat(5000)])
      expect(sessions.verify(junk)).toBeUndefined();
  });

  it("refuse a session signed for longer than this instance allows", () => {
    const generous = createSessions({ key, lifetimeMs: 24 * 60 * MINUTE, now: clock });
    expect(sessions.verify(generous.issue("discord:7").cookie)).toBeUndefined();
  });
});

describe("the moderator check", () => {
  it("follows the configured lists on every call and trusts a vouched role holder for one session", async () => {
    const lists = { discord: ["7"], telegram: [] as string[] };
    const moderators = createModerators({
      lists: () => lists,
      kv: new Keyv(),
      grantMs: 60 * MINUTE,
      now: clock,
    });
    expect(await moderators.isModerator("discord:7")).toBe(true);
    lists.discord = [];
    expect(await moderators.isModerator("discord:7")).toBe(false);

    expect(await moderators.isModerator("discord:9")).toBe(false);
    await moderators.vouch("discord:9");
    expect(await moderators.isModerator("discord:9")).toBe(true);
    now += 60 * MINUTE;
    expect(await moderators.isModerator("discord:9")).toBe(false);
    expect(await moderators.isModerator("not-a-member-id")).toBe(false);
  });
});
