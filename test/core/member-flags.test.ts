/**
 * Member flags that guard money survive concurrent writers: the profile is written by every
 * interaction (locale, name), the outbox worker (reachability) and admins (locks), on several
 * instances at once. A writer that read the profile before a lock and writes after it must not
 * drop the lock. Runs on the memory store and on Redis (two clients, as two instances would).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssetPayClient } from "../../src/assetpay/client.ts";
import { createAccounts } from "../../src/core/accounts.ts";
import { createAdmin } from "../../src/core/admin.ts";
import type { KV } from "../../src/core/kv.ts";
import { createMembers } from "../../src/core/members.ts";
import { createSwitches } from "../../src/core/switches.ts";
import { createTradeRecords } from "../../src/core/trade-records.ts";
import type { KeyValueStores } from "../../src/store/kv.ts";
import { createMemoryAtomicKv } from "../../src/store/kv-atomic.ts";
import { createMemoryLedger } from "../../src/store/ledger-memory.ts";
import { createMemoryTradeBook } from "../../src/store/trade-book-memory.ts";
import { BACKENDS, type Backend } from "../store/backends.ts";

/** A KV whose writes wait for `release()`: the writer has read, then stalls before writing. */
function stalledWrites(kv: KV): { kv: KV; release: () => void; writing: Promise<void> } {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const writing = new Promise<void>((r) => {
    reached = r;
  });
  const stall = async () => {
    reached();
    await gate;
  };
  return {
    kv: {
      get: (key) => kv.get(key),
      set: async (key, value, ttl) => {
        await stall();
        return kv.set(key, value, ttl);
      },
      delete: async (key) => {
        await stall();
        return kv.delete(key);
      },
    },
    release,
    writing,
  };
}

function adminOver(backend: Backend, stores: KeyValueStores) {
  const client = createAssetPayClient({ baseUrl: "http://127.0.0.1:9", apiKey: "k", apiSecret: "s" });
  const members = createMembers(stores.members);
  return createAdmin({
    ledger: backend.freshLedger().store,
    members,
    accounts: createAccounts({ kv: stores.links, claims: createMemoryAtomicKv(stores.links), client }),
    records: createTradeRecords(createMemoryTradeBook({ ledger: createMemoryLedger() })),
    switches: createSwitches(stores.misc),
  });
}

describe.each(BACKENDS)("member flags under concurrent writers (%s)", (_name, makeBackend) => {
  const backend: Backend = makeBackend();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("an admin's lock survives an outbox write that read the profile before it", async () => {
    const { store, peer } = backend.freshKv();
    const admin = adminOver(backend, store);
    const memberId = "discord:42";
    // The outbox worker on another instance: reads the profile, then stalls before its write.
    const stalled = stalledWrites(peer.members);
    const worker = createMembers(stalled.kv);
    const marking = worker.update(memberId, (p) => {
      p.unreachable = { since: "2026-01-01T00:00:00.000Z", reason: "closed DMs" };
      return p;
    });
    await stalled.writing;
    await admin.lock(memberId, "chargeback fraud", "admin:discord:9");
    stalled.release();
    await marking;
    const profile = await createMembers(store.members).get(memberId);
    expect(profile.locked).toMatchObject({ reason: "chargeback fraud", by: "admin:discord:9" });
    expect(profile.unreachable).toMatchObject({ reason: "closed DMs" });
  });

  it("an admin's lock survives a stream of interactions and outbox writes on two instances", async () => {
    const { store, peer } = backend.freshKv();
    const admin = adminOver(backend, store);
    const here = createMembers(store.members);
    const there = createMembers(peer.members);
    const memberId = "telegram:7";
    const locales = ["en", "de", "pl", "tr"];
    const stream = Array.from({ length: 120 }, async (_, i) => {
      const members = i % 2 === 0 ? here : there;
      if (i === 60) return admin.lock(memberId, "investigating", "admin:telegram:1");
      if (i % 3 === 0)
        return members.touch({
          platform: "telegram",
          userId: "7",
          locale: locales[i % 4]!,
          displayName: `n${i}`,
        });
      return members.update(memberId, (p) => {
        if (i % 5 === 0) delete p.unreachable;
        else p.unreachable = { since: "2026-01-01T00:00:00.000Z", reason: `attempt ${i}` };
        return p;
      });
    });
    await Promise.all(stream);
    expect((await there.get(memberId)).locked).toMatchObject({ reason: "investigating" });
    await admin.unlock(memberId, "admin:telegram:1");
    expect((await here.get(memberId)).locked).toBeUndefined();
  });

  it("a field a change did not touch is not written at all", async () => {
    const { store } = backend.freshKv();
    const members = createMembers(store.members);
    await members.setFlag("discord:5", "withdrawalsLocked", {
      reason: "negative",
      at: "2026-01-01T00:00:00.000Z",
    });
    const stalled = stalledWrites(store.members);
    const reader = createMembers(stalled.kv);
    // A change that only reads: nothing to write, so it never reaches the stalled write.
    const same = await reader.update("discord:5", (p) => p);
    expect(same.withdrawalsLocked?.reason).toBe("negative");
    stalled.release();
  });
});
