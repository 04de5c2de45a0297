import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createKeyValueStores, type KeyValueStores, KV_NAMESPACES } from "../../src/store/kv.ts";
import { createMemberFlags } from "../../src/store/member-flags.ts";
import { connectRedis, redactRedisUrl } from "../../src/store/redis.ts";
import { BACKENDS, type Backend } from "./backends.ts";

interface PickerState {
  owner: string;
  selected: string[];
  page: number;
}

describe.each(BACKENDS)("key-value stores (%s)", (_name, makeBackend) => {
  const backend: Backend = makeBackend();
  let stores: KeyValueStores;
  let peer: KeyValueStores;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  const fresh = () => {
    ({ store: stores, peer } = backend.freshKv());
  };

  it("offers every namespace the bot keeps state in", () => {
    fresh();
    expect(Object.keys(stores).sort()).toEqual([...KV_NAMESPACES].sort());
  });

  it("round-trips JSON objects and shares them with another instance", async () => {
    fresh();
    const picker: PickerState = { owner: "discord:1", selected: ["a", "b"], page: 2 };
    await stores.pickers.set("s1", picker);
    expect(await peer.pickers.get<PickerState>("s1")).toEqual(picker);
    expect(await stores.pickers.delete("s1")).toBe(true);
    expect(await peer.pickers.get("s1")).toBeUndefined();
  });

  it("keeps namespaces apart", async () => {
    fresh();
    await stores.sessions.set("same", { from: "sessions" });
    await stores.links.set("same", { from: "links" });
    expect(await stores.sessions.get("same")).toEqual({ from: "sessions" });
    expect(await stores.links.get("same")).toEqual({ from: "links" });
    expect(await stores.intents.get("same")).toBeUndefined();
  });

  it("stores a TTL with the value", async () => {
    fresh();
    // Keyv stamps the expiry from Date.now: a fake date standing still makes it exact.
    const at = Date.parse("2026-07-01T12:00:00.000Z");
    vi.useFakeTimers({ toFake: ["Date"], now: at });
    try {
      await stores.pickers.set("s1", { page: 1 }, 60_000);
      const raw = await stores.pickers.get("s1", { raw: true });
      expect(raw?.expires).toBe(at + 60_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("records member flags: a revert locks withdrawals until someone clears it", async () => {
    fresh();
    const at = new Date("2026-03-01T00:00:00.000Z");
    const flags = createMemberFlags(stores.members, () => at);
    const other = createMemberFlags(peer.members);
    expect(await flags.withdrawalsBlocked("discord:1")).toBe(false);
    await flags.lockWithdrawals("discord:1", "balance negative after revert of trade t1");
    expect(await other.withdrawalsBlocked("discord:1")).toBe(true);
    expect(await other.withdrawalsBlocked("discord:2")).toBe(false);
    await flags.set("discord:1", "locked", "chargeback fraud", "admin:discord:9");
    expect(await other.get("discord:1")).toEqual({
      withdrawalsLocked: { reason: "balance negative after revert of trade t1", at: at.toISOString() },
      locked: { reason: "chargeback fraud", actor: "admin:discord:9", at: at.toISOString() },
    });
    expect(await other.clear("discord:1", "withdrawalsLocked")).toBe(true);
    expect(await flags.get("discord:1")).toEqual({
      locked: expect.objectContaining({ reason: "chargeback fraud" }),
    });
    expect(await flags.withdrawalsBlocked("discord:1")).toBe(true);
    await flags.clear("discord:1", "locked");
    expect(await flags.withdrawalsBlocked("discord:1")).toBe(false);
  });
});

describe("key-value stores on Redis specifically", () => {
  const backend: Backend = BACKENDS[1]![1]();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("keeps keys under <prefix>kv:<namespace>: with the TTL enforced by Redis", async () => {
    const { store, prefix } = backend.freshKv();
    await store.pickers.set("s1", { page: 1 }, 60_000);
    await store.intents.set("ext-1", { memberId: "discord:1" });
    const client = backend.client()!;
    const ttl = await client.pTTL(`${prefix}kv:pickers:s1`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await client.pTTL(`${prefix}kv:intents:ext-1`)).toBe(-1);
  });

  it("throws a Redis failure instead of answering as if the key were missing", async () => {
    const { store, prefix } = backend.freshKv();
    await backend.client()!.rPush(`${prefix}kv:intents:broken`, "not a string");
    await expect(store.intents.get("broken")).rejects.toThrow(/WRONGTYPE/);
  });
});

describe("connecting to Redis", () => {
  it("connects to a reachable server", async () => {
    const client = await connectRedis(inject("redisUrl"));
    try {
      expect(await client.ping()).toBe("PONG");
    } finally {
      await client.close();
    }
  });

  it("gives up on an unreachable server after the deadline without revealing the password", async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
      });
    });
    const attempt = connectRedis(`redis://bot:hunter2secret@127.0.0.1:${port}`, undefined, {
      initialTimeoutMs: 300,
    });
    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/redis connection to redis:\/\/bot:\*\*\*@127\.0\.0\.1:\d+ failed/);
    expect(error?.message).not.toContain("hunter2secret");
  });

  it("masks the password of a URL for logs", () => {
    expect(redactRedisUrl("redis://:s3cret@cache.internal:6380/2")).toBe(
      "redis://:***@cache.internal:6380/2",
    );
    expect(redactRedisUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
  });
});

describe("key-value stores without Redis", () => {
  it("are independent per call, so two embedded apps do not share state", async () => {
    const a = createKeyValueStores();
    const b = createKeyValueStores();
    await a.misc.set("k", { v: 1 });
    expect(await b.misc.get("k")).toBeUndefined();
  });
});
