/**
 * Data written by the previous version (one JSON profile per member, one link record per member)
 * is moved once, at start, to the layout this version reads, and reads back the same.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssetPayClient } from "../../src/assetpay/client.ts";
import { accountKeys, createAccounts } from "../../src/core/accounts.ts";
import { createMembers } from "../../src/core/members.ts";
import { createRedisAtomicKv } from "../../src/store/kv-atomic.ts";
import { migrateLayout } from "../../src/store/layout-migration.ts";
import { redisBackend } from "./backends.ts";

describe("one-time layout migration (Redis)", () => {
  const backend = redisBackend();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("moves legacy profiles and links, keeps newer fields, and finds nothing the second time", async () => {
    const { store, prefix } = backend.freshKv();
    const redis = backend.client()!;
    const claims = createRedisAtomicKv(redis, store.links, prefix, "links");
    const locked = { reason: "fraud", by: "admin:discord:1", at: "2026-01-02T00:00:00.000Z" };
    await store.members.set("member:discord:1", { memberId: "discord:1", locale: "de", locked });
    await store.members.set("member:telegram:2", { memberId: "telegram:2", localeOverride: "uk" });
    // telegram:2 already chose a language with this version: that field is newer and stays.
    await store.members.set("profile:localeOverride:telegram:2", "pl");
    const link = {
      memberId: "discord:1",
      steamId: "76561197960365728",
      tradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=100000&token=AbCdEf12",
      linkedAt: "2026-01-01T00:00:00.000Z",
    };
    await store.links.set("link:discord:1", link);
    await store.links.set("steam:discord:76561197960365728", "discord:1");

    expect(
      await migrateLayout({ redis, prefix, members: store.members, links: store.links, claims }),
    ).toEqual({
      profiles: 2,
      links: 1,
    });

    const members = createMembers(store.members);
    expect(await members.get("discord:1")).toEqual({ memberId: "discord:1", locale: "de", locked });
    expect(await members.get("telegram:2")).toEqual({ memberId: "telegram:2", localeOverride: "pl" });
    expect(await store.members.get("member:discord:1")).toBeUndefined();
    const client = createAssetPayClient({ baseUrl: "http://127.0.0.1:9", apiKey: "k", apiSecret: "s" });
    const accounts = createAccounts({ kv: store.links, claims, client });
    expect(await accounts.get("discord:1")).toEqual(link);
    expect(await accounts.ownerOf("discord", link.steamId)).toBe("discord:1");
    expect(await store.links.get(accountKeys.record("discord:1", link.steamId))).toEqual(link);
    expect(await store.links.get("link:discord:1")).toBeUndefined();

    expect(
      await migrateLayout({ redis, prefix, members: store.members, links: store.links, claims }),
    ).toEqual({
      profiles: 0,
      links: 0,
    });
    await client.close();
  });
});
