import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Outbox, OutboxOptions, Recipient } from "../../src/store/outbox.ts";
import { BACKENDS, type Backend, manualClock } from "./backends.ts";

const alice: Recipient = { platform: "discord", userId: "1001" };
const bob: Recipient = { platform: "telegram", userId: "2002" };
const LEASE = 30_000;

describe.each(BACKENDS)("outbox (%s)", (_name, makeBackend) => {
  const backend: Backend = makeBackend();
  let clock: ReturnType<typeof manualClock>;
  let outbox: Outbox;
  let peer: Outbox;

  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  const fresh = (opts: OutboxOptions = {}) => {
    clock = manualClock();
    ({ store: outbox, peer } = backend.freshOutbox({ clock: clock.now, ...opts }));
  };
  const notice = (key: string, to: Recipient = alice, payload: unknown = { text: key }) =>
    outbox.enqueue({ key, recipient: to, payload });

  it("hands an enqueued notice to one worker and forgets it once acknowledged", async () => {
    fresh();
    const { enqueued, id } = await outbox.enqueue({
      key: "trade:t1:completed",
      recipient: alice,
      payload: { kind: "deposit.completed", tradeId: "t1", cents: 1075, items: ["AK-47 | Redline"] },
    });
    expect(enqueued).toBe(true);
    expect(await outbox.depth()).toBe(1);
    const [claimed, ...rest] = await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE });
    expect(rest).toEqual([]);
    expect(claimed).toEqual({
      id,
      key: "trade:t1:completed",
      recipient: alice,
      payload: { kind: "deposit.completed", tradeId: "t1", cents: 1075, items: ["AK-47 | Redline"] },
      attempts: 0,
      claims: 1,
      createdAt: clock.now(),
      leaseUntil: clock.now() + LEASE,
    });
    expect(await outbox.ack(id, "w1")).toBe(true);
    expect(await outbox.depth()).toBe(0);
    clock.advance(LEASE * 2);
    expect(await outbox.claim({ worker: "w2", max: 10, leaseMs: LEASE })).toEqual([]);
  });

  it("keeps one notice per dedupe key, even after the first was delivered", async () => {
    fresh();
    const first = await notice("trade:t1:completed");
    const second = await peer.enqueue({
      key: "trade:t1:completed",
      recipient: alice,
      payload: { text: "again" },
    });
    expect(second).toEqual({ enqueued: false, id: first.id });
    expect(await outbox.depth()).toBe(1);
    const [claimed] = await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE });
    expect(claimed?.payload).toEqual({ text: "trade:t1:completed" });
    await outbox.ack(first.id, "w1");
    expect(await notice("trade:t1:completed")).toEqual({ enqueued: false, id: first.id });
    expect(await outbox.depth()).toBe(0);
  });

  it("keeps deduplicating a notice scheduled beyond the dedupe window while it waits", async () => {
    fresh({ dedupeTtlMs: 1_000 });
    const first = await outbox.enqueue({
      key: "k",
      recipient: alice,
      payload: {},
      notBefore: clock.now() + 60_000,
    });
    clock.advance(30_000);
    expect(await outbox.enqueue({ key: "k", recipient: alice, payload: {} })).toEqual({
      enqueued: false,
      id: first.id,
    });
  });

  it("holds a notice back until its notBefore time", async () => {
    fresh();
    const later = clock.now() + 60_000;
    await outbox.enqueue({ key: "reminder", recipient: alice, payload: {}, notBefore: new Date(later) });
    expect(await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE })).toEqual([]);
    expect(await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE, now: later - 1 })).toEqual([]);
    expect(await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE, now: later })).toHaveLength(1);
  });

  it("claims the recipients due first and never more than asked", async () => {
    fresh();
    const carol: Recipient = { platform: "discord", userId: "3003" };
    await outbox.enqueue({ key: "b", recipient: bob, payload: {}, notBefore: clock.now() - 1_000 });
    await outbox.enqueue({ key: "a", recipient: alice, payload: {}, notBefore: clock.now() - 2_000 });
    await outbox.enqueue({ key: "c", recipient: carol, payload: {} });
    const first = await outbox.claim({ worker: "w1", max: 2, leaseMs: LEASE });
    expect(first.map((n) => n.key)).toEqual(["a", "b"]);
    const next = await outbox.claim({ worker: "w1", max: 2, leaseMs: LEASE });
    expect(next.map((n) => n.key)).toEqual(["c"]);
  });

  it("never has more than one notice of a recipient in flight, and hands them out in order", async () => {
    fresh();
    await outbox.enqueue({ key: "b", recipient: alice, payload: {}, notBefore: clock.now() - 1_000 });
    await outbox.enqueue({ key: "a", recipient: alice, payload: {}, notBefore: clock.now() - 2_000 });
    await outbox.enqueue({ key: "c", recipient: alice, payload: {} });
    await notice("other", bob);
    const sent: string[] = [];
    for (let round = 0; round < 3; round++) {
      const claimed = await Promise.all([
        outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE }),
        peer.claim({ worker: "w2", max: 10, leaseMs: LEASE }),
      ]);
      const mine = claimed.flat().filter((n) => n.recipient.userId === alice.userId);
      expect(mine).toHaveLength(1);
      sent.push(mine[0]!.key);
      for (const [i, batch] of claimed.entries())
        for (const n of batch) expect(await (i === 0 ? outbox : peer).ack(n.id, `w${i + 1}`)).toBe(true);
    }
    expect(sent).toEqual(["a", "b", "c"]);
    expect(await outbox.depth()).toBe(0);
    expect(await outbox.nextDueAt()).toBeUndefined();
  });

  it("keeps a retried notice at the head of its recipient's line; others go on meanwhile", async () => {
    fresh();
    const first = await notice("first");
    await notice("second");
    await notice("bobs", bob);
    const claimed = await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE });
    expect(claimed.map((n) => n.key)).toEqual(["first", "bobs"]);
    expect(await outbox.retry(first.id, "w1", { delayMs: 2_000, error: "429" })).toBe(true);
    expect(await outbox.nextDueAt()).toBe(clock.now() + 2_000);
    // A notice enqueued meanwhile with an earlier due time still waits behind the retry's delay.
    await outbox.enqueue({ key: "earlier", recipient: alice, payload: {}, notBefore: clock.now() - 60_000 });
    expect(await peer.claim({ worker: "w2", max: 10, leaseMs: LEASE })).toEqual([]);
    clock.advance(2_000);
    const [again] = await peer.claim({ worker: "w2", max: 10, leaseMs: LEASE });
    expect(again?.key).toBe("earlier");
  });

  it("sends a line held back for pacing before notices queued behind it meanwhile", async () => {
    fresh();
    await notice("busy-1");
    const second = await notice("busy-2");
    const [first] = await outbox.claim({ worker: "w1", max: 1, leaseMs: LEASE });
    await outbox.ack(first!.id, "w1");
    await outbox.claim({ worker: "w1", max: 1, leaseMs: LEASE });
    await outbox.postpone(second.id, "w1", 1_000);
    for (let i = 0; i < 5; i++) await notice(`drop-${i}`, { platform: "telegram", userId: String(7000 + i) });
    clock.advance(1_000);
    const [next] = await peer.claim({ worker: "w2", max: 1, leaseMs: LEASE });
    expect(next?.key).toBe("busy-2");
  });

  it("postpones a notice without counting an attempt, ahead of the recipient's later notices", async () => {
    fresh();
    const first = await notice("first");
    await notice("second");
    await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE });
    expect(await outbox.postpone(first.id, "w2", 1_000)).toBe(false);
    expect(await outbox.postpone(first.id, "w1", 1_000)).toBe(true);
    expect(await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE })).toEqual([]);
    clock.advance(1_000);
    const [again] = await peer.claim({ worker: "w2", max: 10, leaseMs: LEASE });
    expect(again).toMatchObject({ key: "first", attempts: 0, claims: 2 });
    expect(await outbox.stats()).toMatchObject({ postponed: 1, retried: 0 });
  });

  it("does not hand a leased notice to anyone else until the lease runs out", async () => {
    fresh();
    const { id } = await notice("n1");
    await outbox.claim({ worker: "crashed", max: 1, leaseMs: LEASE });
    clock.advance(LEASE - 1);
    expect(await peer.claim({ worker: "w2", max: 10, leaseMs: LEASE })).toEqual([]);
    clock.advance(1);
    const [reclaimed] = await peer.claim({ worker: "w2", max: 10, leaseMs: LEASE });
    expect(reclaimed).toMatchObject({ id, claims: 2, leaseUntil: clock.now() + LEASE });
    expect(await outbox.ack(id, "crashed")).toBe(false);
    expect(await peer.ack(id, "w2")).toBe(true);
    expect(await outbox.stats()).toMatchObject({ reclaimed: 1, acked: 1, leased: 0, waiting: 0 });
  });

  it("gives two workers claiming at the same moment disjoint notices", async () => {
    fresh();
    for (let i = 0; i < 20; i++) await notice(`n${i}`, { platform: "telegram", userId: String(5000 + i) });
    const [a, b] = await Promise.all([
      outbox.claim({ worker: "wa", max: 15, leaseMs: LEASE }),
      peer.claim({ worker: "wb", max: 15, leaseMs: LEASE }),
    ]);
    const ids = [...a, ...b].map((n) => n.id);
    expect(new Set(ids).size).toBe(20);
    expect(a.length + b.length).toBe(20);
    expect(await outbox.stats()).toMatchObject({ leased: 20, waiting: 0 });
  });

  it("refuses ack, retry and give-up from a worker that does not hold the lease", async () => {
    fresh();
    const { id } = await notice("n1");
    expect(await outbox.ack(id, "w1")).toBe(false);
    await outbox.claim({ worker: "w1", max: 1, leaseMs: LEASE });
    expect(await outbox.ack(id, "w2")).toBe(false);
    expect(await outbox.retry(id, "w2", { delayMs: 0, error: "x" })).toBe(false);
    expect(await outbox.undeliverable(id, "w2", "x")).toBe(false);
    expect(await outbox.ack("no-such-id", "w1")).toBe(false);
    expect(await outbox.ack(id, "w1")).toBe(true);
    expect(await outbox.ack(id, "w1")).toBe(false);
  });

  it("retries a failed notice no sooner than its backoff, counting the attempt and keeping the error", async () => {
    fresh();
    const { id } = await notice("n1");
    await outbox.claim({ worker: "w1", max: 1, leaseMs: LEASE });
    expect(await outbox.retry(id, "w1", { delayMs: 5_000, error: "429 Too Many Requests" })).toBe(true);
    expect(await outbox.depth()).toBe(1);
    clock.advance(4_999);
    expect(await outbox.claim({ worker: "w2", max: 1, leaseMs: LEASE })).toEqual([]);
    clock.advance(1);
    const [again] = await outbox.claim({ worker: "w2", max: 1, leaseMs: LEASE });
    expect(again).toMatchObject({ id, attempts: 1, claims: 2, lastError: "429 Too Many Requests" });
    expect(await outbox.ack(id, "w1")).toBe(false);
    expect(await outbox.stats()).toMatchObject({ retried: 1 });
  });

  it("moves an undeliverable notice to the recipient's inbox, newest first", async () => {
    fresh();
    const first = await notice("n1", alice, { text: "deposit done" });
    await notice("n2", bob);
    await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE });
    expect(await outbox.undeliverable(first.id, "w1", "dm closed")).toBe(true);
    clock.advance(1_000);
    const second = await notice("n3", alice, { text: "withdraw done" });
    await outbox.claim({ worker: "w1", max: 10, leaseMs: LEASE });
    expect(await outbox.undeliverable(second.id, "w1", "dm closed")).toBe(true);

    const inbox = await peer.inbox(alice);
    expect(inbox.map((n) => n.payload)).toEqual([{ text: "withdraw done" }, { text: "deposit done" }]);
    expect(inbox[0]).toMatchObject({
      id: second.id,
      key: "n3",
      recipient: alice,
      reason: "dm closed",
      attempts: 1,
    });
    expect(inbox[0]!.failedAt).toBe(clock.now());
    expect(await outbox.inbox(alice, { limit: 1 })).toHaveLength(1);
    expect(await outbox.inbox(bob)).toEqual([]);
    expect(await outbox.depth()).toBe(1);
    expect(await outbox.stats()).toMatchObject({ undeliverable: 2, leased: 1 });

    expect(await outbox.clearInbox(alice)).toBe(2);
    expect(await outbox.inbox(alice)).toEqual([]);
    expect(await outbox.clearInbox(alice)).toBe(0);
  });

  it("keeps only the newest undeliverable notices per recipient", async () => {
    fresh({ inboxLimit: 3 });
    for (let i = 1; i <= 5; i++) {
      const { id } = await notice(`n${i}`);
      await outbox.claim({ worker: "w", max: 1, leaseMs: LEASE });
      await outbox.undeliverable(id, "w", "blocked");
    }
    expect((await outbox.inbox(alice, { limit: 10 })).map((n) => n.key)).toEqual(["n5", "n4", "n3"]);
  });

  it("refuses a payload that is not JSON and enqueues nothing", async () => {
    fresh();
    await expect(outbox.enqueue({ key: "bad", recipient: alice, payload: { n: 1n } })).rejects.toThrow(
      TypeError,
    );
    await expect(outbox.enqueue({ key: "bad", recipient: alice, payload: undefined })).rejects.toThrow(
      TypeError,
    );
    await expect(outbox.enqueue({ key: "", recipient: alice, payload: {} })).rejects.toThrow(TypeError);
    expect(await outbox.depth()).toBe(0);
    expect(await outbox.enqueue({ key: "bad", recipient: alice, payload: {} })).toMatchObject({
      enqueued: true,
    });
  });

  it("counts what happened for the metrics endpoint", async () => {
    fresh();
    await notice("a");
    await notice("a");
    await outbox.enqueue({ key: "later", recipient: alice, payload: {}, notBefore: clock.now() + 1_000 });
    const enqueuedAt = clock.now();
    clock.advance(500);
    await outbox.enqueue({ key: "bobs", recipient: bob, payload: {}, notBefore: clock.now() + 1_000 });
    expect(await outbox.stats()).toEqual({
      waiting: 3,
      due: 1,
      leased: 0,
      expiredLeases: 0,
      enqueued: 3,
      deduped: 1,
      acked: 0,
      retried: 0,
      undeliverable: 0,
      reclaimed: 0,
      postponed: 0,
      oldestCreatedAt: enqueuedAt,
    });
    await outbox.claim({ worker: "w", max: 5, leaseMs: LEASE });
    expect(await outbox.stats(clock.now() + LEASE)).toMatchObject({
      waiting: 2,
      due: 1,
      leased: 1,
      expiredLeases: 1,
    });
  });

  it("picks up notices an older version queued, in their recipients' lines", async () => {
    fresh();
    const client = backend.client();
    if (!client) return; // Only Redis has an older layout.
    const { prefix } = backend.freshOutbox({ clock: clock.now });
    const old = `${prefix}ob:`;
    const store = () => backend.freshOutboxAt(prefix, { clock: clock.now });
    for (const [id, key, dueAt] of [
      ["7", "first", clock.now() - 2_000],
      ["9", "second", clock.now() - 1_000],
    ] as const) {
      await client.hSet(`${old}n:${id}`, {
        id,
        key,
        platform: alice.platform,
        userId: alice.userId,
        payload: JSON.stringify({ text: key }),
        createdAt: String(dueAt),
        dueAt: String(dueAt),
        attempts: "0",
        claims: "0",
      });
      await client.zAdd(`${old}due`, { score: dueAt, value: id });
    }
    await client.set(`${old}seq`, "9");
    const upgraded = store();
    const [first, ...rest] = await upgraded.claim({ worker: "w", max: 10, leaseMs: LEASE });
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ id: "7", key: "first", payload: { text: "first" } });
    expect(await upgraded.ack("7", "w")).toBe(true);
    const [second] = await upgraded.claim({ worker: "w", max: 10, leaseMs: LEASE });
    expect(second?.key).toBe("second");
    expect(await client.exists(`${old}due`)).toBe(0);
  });
});
