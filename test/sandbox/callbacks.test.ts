import { afterEach, describe, expect, it, vi } from "vitest";
import { verifySignature } from "../../src/assetpay/signature.ts";
import { depositable, SECRET, startWorld, tokenFor, type World } from "./harness.ts";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function deposit(world: World, partner: number, externalId?: string): Promise<string> {
  const token = tokenFor(partner);
  const [item] = await depositable(world.api, token);
  const res = await world.api.client(token, "POST", "/client/trading/deposit", {
    items: [{ itemId: item?.id, price: item?.offer.price }],
    ...(externalId ? { externalId } : {}),
  });
  if (res.status !== 200) throw new Error(`deposit failed: ${JSON.stringify(res.body)}`);
  await world.sandbox.idle();
  return res.body.data.id as string;
}

describe("callback delivery", () => {
  it("retries an ordinary delivery with the same delivery id until it gets a 2xx", async () => {
    w = await startWorld({ callbackRetry: { attempts: 4, baseDelayMs: 10 } });
    const answers = [500, 503];
    w.receiver.reply = () => ({ status: answers.shift() ?? 200 });
    const tradeId = await deposit(w, 3001);
    const tries = w.receiver.received.filter((r) => r.body.trade?.id === tradeId);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((t) => t.deliveryId)).size).toBe(1);
    const record = w.sandbox.deliveries.find((d) => d.tradeId === tradeId);
    expect(record?.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(record?.outcome).toBe("delivered");
  });

  it("gives up after the configured attempts and still delivers the trade's later callbacks", async () => {
    w = await startWorld({ callbackRetry: { attempts: 2, baseDelayMs: 5 } });
    w.receiver.reply = (cb) => ({ status: cb.body.trade?.status === "initiated" ? 500 : 200 });
    const tradeId = await deposit(w, 3002);
    await w.sandbox.clock.advance(2);
    expect(w.sandbox.deliveries.filter((d) => d.tradeId === tradeId).map((d) => d.outcome)).toEqual([
      "failed",
      "delivered",
    ]);
  });

  it("delivers one trade's callbacks in transition order even when the receiver is slow", async () => {
    w = await startWorld();
    let first = true;
    w.receiver.reply = () => {
      // The first answer is a failure: the next transitions must queue behind its retry.
      if (first) {
        first = false;
        return { status: 502 };
      }
      return { status: 200 };
    };
    const tradeId = await deposit(w, 3003);
    await w.sandbox.clock.advance(65);
    expect(w.receiver.statuses(tradeId)).toEqual(["initiated", "initiated", "pending", "active", "hold"]);
  });

  it("signs with s1 too during a secret rotation", async () => {
    w = await startWorld({ previousSecret: "old-secret" }, { receiverSecret: "old-secret" });
    const tradeId = await deposit(w, 3004);
    const cb = await w.receiver.waitFor((r) => r.body.trade?.id === tradeId);
    const header = String(cb.headers["x-assetpay-signature"]);
    expect(header).toMatch(/^t=[^,]+,id=[^,]+,s=[0-9a-f]{64},s1=[0-9a-f]{64}$/);
    expect(cb.signature.ok).toBe(true);
    expect(verifySignature({ header, rawBody: cb.raw, secret: SECRET }).ok).toBe(true);
  });

  it("sends the unsigned test ping when the callback URL is set, and keeps the URL only on 2xx", async () => {
    w = await startWorld({}, { noCallbackUrl: true });
    const { sandbox, receiver } = w;
    receiver.reply = () => ({ status: 401 });
    expect(await sandbox.setCallbackUrl(receiver.url)).toBe(false);
    expect(sandbox.callbackUrl).toBeUndefined();
    receiver.reply = () => ({ status: 204 });
    expect(await sandbox.setCallbackUrl(receiver.url)).toBe(true);
    expect(sandbox.callbackUrl).toBe(receiver.url);
    const ping = receiver.received[1];
    expect(ping?.headers["x-assetpay-signature"]).toBeUndefined();
    expect(ping?.body).toMatchObject({
      test: true,
      message: expect.any(String),
      timestamp: expect.any(String),
    });
  });
});

describe("fault injection", () => {
  it("duplicates a delivery: the same delivery id arrives twice", async () => {
    w = await startWorld();
    w.sandbox.faults.set({ duplicate: 1 });
    const tradeId = await deposit(w, 3010);
    const got = w.receiver.received.filter((r) => r.body.trade?.id === tradeId);
    expect(got).toHaveLength(2);
    expect(got[0]?.deliveryId).toBe(got[1]?.deliveryId);
    expect(got[0]?.raw).toBe(got[1]?.raw);
    expect(w.sandbox.faults.stats().duplicated).toBe(1);
  });

  it("drops a delivery: it is never sent, and counted", async () => {
    w = await startWorld();
    w.sandbox.faults.set({ drop: { count: 1 } });
    const tradeId = await deposit(w, 3011);
    await w.sandbox.clock.advance(2);
    expect(w.receiver.statuses(tradeId)).toEqual(["pending"]);
    expect(w.sandbox.faults.stats().dropped).toBe(1);
    expect(w.sandbox.deliveries.find((d) => d.tradeId === tradeId)?.outcome).toBe("dropped");
  });

  it("corrupts a signature on the first attempt; the retry with the same id is genuine", async () => {
    w = await startWorld();
    w.receiver.reply = (cb) => ({ status: cb.signature.ok ? 200 : 401 });
    w.sandbox.faults.set({ corrupt: 1 });
    const tradeId = await deposit(w, 3012);
    const got = w.receiver.received.filter((r) => r.body.trade?.id === tradeId);
    expect(got.map((g) => g.signature)).toEqual([
      { ok: false, reason: "signature_mismatch" },
      expect.objectContaining({ ok: true }),
    ]);
    expect(got[0]?.deliveryId).toBe(got[1]?.deliveryId);
  });

  it("reorders: a held-back delivery arrives after its successor", async () => {
    w = await startWorld();
    const tradeId = await deposit(w, 3013);
    w.sandbox.faults.set({ reorder: 1 });
    await w.sandbox.clock.advance(5);
    expect(w.receiver.statuses(tradeId)).toEqual(["initiated", "active", "pending"]);
  });

  it("delays a delivery by the configured milliseconds", async () => {
    // The sandbox waits through an injected sleep: the delay is held until the test lets it pass.
    const pauses: number[] = [];
    let pass: () => void = () => {};
    const delayed = new Promise<void>((resolve) => {
      pass = resolve;
    });
    w = await startWorld({
      createLatencyMs: 0,
      sleep: async (ms) => {
        pauses.push(ms);
        if (ms === 150) await delayed;
      },
    });
    w.sandbox.faults.set({ delay: { ms: 150, count: 1 } });
    const token = tokenFor(3014);
    const [item] = await depositable(w.api, token);
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(pauses).toContain(150));
    expect(w.receiver.received).toEqual([]);

    pass();
    await w.sandbox.idle();
    expect(w.receiver.statuses(res.body.data.id as string)[0]).toBe("initiated");
    expect(w.sandbox.faults.stats().delayed).toBe(1);
  });

  it("draws probabilistic faults from a seeded PRNG, so a run replays identically", async () => {
    const pattern = async (): Promise<string[]> => {
      const world = await startWorld();
      try {
        world.sandbox.faults.set({ drop: { probability: 0.5 }, seed: 42 });
        const tradeId = await deposit(world, 3015);
        await world.sandbox.clock.advance(70 + 7 * 86_400);
        return world.sandbox.deliveries.filter((d) => d.tradeId === tradeId).map((d) => d.outcome);
      } finally {
        await world.close();
      }
    };
    const first = await pattern();
    expect(first).toContain("dropped");
    expect(first).toContain("delivered");
    expect(await pattern()).toEqual(first);
  });
});
