/**
 * One Steam account per member and one member per Steam account, whatever the interleaving:
 * two members linking one trade URL at the same moment (both past the "is it free?" check, both
 * waiting on AssetPay), or one member linking two accounts at once. Against the AssetPay sandbox
 * over HTTP, on the memory store and on Redis (two instances on one server).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AssetPayClient, createAssetPayClient } from "../../src/assetpay/client.ts";
import { type Accounts, accountKeys, createAccounts } from "../../src/core/accounts.ts";
import type { Sandbox } from "../../src/sandbox/server.ts";
import type { KeyValueStores } from "../../src/store/kv.ts";
import { createMemoryAtomicKv, createRedisAtomicKv } from "../../src/store/kv-atomic.ts";
import { BACKENDS, type Backend } from "../store/backends.ts";
import { startTestSandbox, TEST_API_KEY, TEST_MERCHANT, TEST_SECRET } from "../support/app-harness.ts";

let sandbox: Sandbox;
let client: AssetPayClient;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  client = createAssetPayClient({
    baseUrl: sandbox.url,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_SECRET,
    merchantId: TEST_MERCHANT,
  });
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

let partner = 7_300_000 + Math.floor(Math.random() * 100_000);
const freshUrl = () => `https://steamcommunity.com/tradeoffer/new/?partner=${partner++}&token=AbCdEf12`;

/** AssetPay answers the trade-URL check only once `n` checks are waiting: every link is past its pre-check. */
function checksMeetingAt(n: number): AssetPayClient {
  let waiting = 0;
  let open!: () => void;
  const allHere = new Promise<void>((r) => {
    open = r;
  });
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== "checkTradeUrl") return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<AssetPayClient["checkTradeUrl"]>) => {
        if (++waiting === n) open();
        await allHere;
        return target.checkTradeUrl(...args);
      };
    },
  });
}

describe.each(BACKENDS)("Steam account ownership (%s)", (_name, makeBackend) => {
  const backend: Backend = makeBackend();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  const instance = (stores: KeyValueStores, prefix: string, c: AssetPayClient): Accounts => {
    const redis = backend.client();
    const claims = redis
      ? createRedisAtomicKv(redis, stores.links, prefix, "links")
      : createMemoryAtomicKv(stores.links);
    return createAccounts({ kv: stores.links, claims, client: c });
  };

  it("two members linking one trade URL at once: exactly one wins", async () => {
    const { store, peer, prefix } = backend.freshKv();
    const racing = checksMeetingAt(2);
    const a = instance(store, prefix, racing);
    const b = instance(peer, prefix, racing);
    const url = freshUrl();
    const outcomes = await Promise.allSettled([a.link("discord:1", url), b.link("discord:2", url)]);
    const won = outcomes.filter((o) => o.status === "fulfilled");
    const lost = outcomes.filter((o) => o.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map((o) => (o as PromiseRejectedResult).reason.key)).toEqual(["steamAccountTaken"]);
    const winner = (won[0] as PromiseFulfilledResult<{ memberId: string; steamId: string }>).value;
    const loser = winner.memberId === "discord:1" ? "discord:2" : "discord:1";
    expect(await a.ownerOf("discord", winner.steamId)).toBe(winner.memberId);
    expect(await b.get(winner.memberId)).toMatchObject({ steamId: winner.steamId });
    expect(await a.get(loser)).toBeUndefined();
  });

  it("one member linking two accounts at once holds exactly one, and the other stays free", async () => {
    const { store, peer, prefix } = backend.freshKv();
    const racing = checksMeetingAt(2);
    const a = instance(store, prefix, racing);
    const b = instance(peer, prefix, racing);
    const [first, second] = [freshUrl(), freshUrl()];
    const outcomes = await Promise.allSettled([a.link("telegram:5", first), b.link("telegram:5", second)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(
      outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason.key),
    ).toEqual(["linkChanged"]);
    const held = await a.require("telegram:5");
    const other = held.tradeUrl === first ? second : first;
    // The losing account was released, so its real owner can still link it.
    const free = instance(store, prefix, client);
    await expect(free.link("telegram:6", other)).resolves.toMatchObject({ memberId: "telegram:6" });
  });

  it("relinking replaces the account and releases the old one; unlinking releases it too", async () => {
    const { store, prefix } = backend.freshKv();
    const accounts = instance(store, prefix, client);
    const [first, second] = [freshUrl(), freshUrl()];
    const old = await accounts.link("discord:9", first);
    const now = await accounts.link("discord:9", second);
    expect(await accounts.ownerOf("discord", old.steamId)).toBeUndefined();
    expect(await store.links.get(accountKeys.record("discord:9", old.steamId))).toBeUndefined();
    expect(await accounts.get("discord:9")).toMatchObject({ steamId: now.steamId, tradeUrl: second });
    await accounts.unlink("discord:9");
    expect(await accounts.get("discord:9")).toBeUndefined();
    expect(await accounts.ownerOf("discord", now.steamId)).toBeUndefined();
  });
});
