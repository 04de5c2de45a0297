/**
 * The outbox worker on a fake clock, against both outbox backends: at most one notice per
 * recipient in flight whatever the concurrency, a 429 postponed in the outbox (the recipient's
 * order kept, no worker waiting), and two instances on one Redis pacing to one global budget.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { createMembers } from "../../src/core/members.ts";
import type { Notice, Recipient } from "../../src/core/notifications.ts";
import type { Outbox } from "../../src/core/outbox.ts";
import {
  createOutboxWorker,
  type DeliveryResult,
  type Notifier,
  type OutboxWorker,
} from "../../src/core/outbox-worker.ts";
import { createSendPacer, type SendPacer, type SlotStore } from "../../src/core/pacing.ts";
import { createLogger } from "../../src/log.ts";
import { createKeyValueStores } from "../../src/store/kv.ts";
import { createRedisOutbox } from "../../src/store/outbox-redis.ts";
import { connectRedis, type RedisClient } from "../../src/store/redis.ts";
import { createRedisSlotStore } from "../../src/store/send-slots.ts";
import { BACKENDS, type Backend, freshPrefix } from "../store/backends.ts";

const logger = createLogger({ level: "silent", name: "test" });
const to = (userId: string): Recipient => ({ platform: "fake", userId });
const notice = (tradeId: string): Notice => ({ kind: "deposit.credited", tradeId, game: "730" });

beforeEach(() => {
  // setImmediate stays real, so Redis replies (real I/O) still arrive while the clock is fake.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: Date.UTC(2026, 0, 1, 12) });
});
afterEach(() => {
  vi.useRealTimers();
});

const realTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Moves the fake clock in small steps, letting real I/O through, until `done()` or `maxMs`. */
async function runUntil(done: () => boolean | Promise<boolean>, maxMs = 60_000, stepMs = 5): Promise<number> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > maxMs) throw new Error(`not done after ${maxMs} ms of fake time`);
    await vi.advanceTimersByTimeAsync(stepMs);
    for (let i = 0; i < 3; i++) await realTick();
  }
  return Date.now() - start;
}

/** A notifier whose sends take `sendMs` of fake time, recording who was in flight when. */
function recordingNotifier(opts: {
  sendMs: number;
  pacer?: SendPacer;
  answer?: (r: Recipient, n: Notice) => DeliveryResult | undefined;
}) {
  const inFlight = new Map<string, number>();
  const sent: { userId: string; tradeId: string; at: number }[] = [];
  let maxPerRecipient = 0;
  let maxTotal = 0;
  let total = 0;
  const notifier: Notifier = {
    platform: "fake",
    ...(opts.pacer ? { turn: (r: Recipient) => (opts.pacer as SendPacer).noticeTurn(r.userId) } : {}),
    async deliver(recipient, n) {
      const mine = (inFlight.get(recipient.userId) ?? 0) + 1;
      inFlight.set(recipient.userId, mine);
      total++;
      maxPerRecipient = Math.max(maxPerRecipient, mine);
      maxTotal = Math.max(maxTotal, total);
      try {
        await opts.pacer?.globalSlot("notice");
        await new Promise((resolve) => setTimeout(resolve, opts.sendMs));
        const answer = opts.answer?.(recipient, n);
        if (answer) return answer;
        sent.push({ userId: recipient.userId, tradeId: n.tradeId, at: Date.now() });
        return { ok: true };
      } finally {
        inFlight.set(recipient.userId, (inFlight.get(recipient.userId) ?? 1) - 1);
        total--;
      }
    },
  };
  return { notifier, sent, max: () => ({ perRecipient: maxPerRecipient, total: maxTotal }) };
}

function startWorker(outbox: Outbox, notifier: Notifier, concurrency: number): OutboxWorker {
  const worker = createOutboxWorker({
    outbox,
    members: createMembers(createKeyValueStores().members),
    notifiers: [notifier],
    logger,
    defaultLocale: "en",
    concurrency,
    pollMs: 50,
  });
  worker.start();
  return worker;
}

describe.each(BACKENDS)("the outbox worker (%s)", (_name, makeBackend) => {
  const backend: Backend = makeBackend();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("never has two notices of one recipient in flight, keeps each member's order, and uses every worker", async () => {
    const { store: outbox } = backend.freshOutbox({ clock: () => Date.now() });
    // One busy member with 12 notices queued first, then 40 members with one each.
    for (let i = 0; i < 12; i++)
      await outbox.enqueue({ key: `busy-${i}`, recipient: to("busy"), payload: notice(`busy-${i}`) });
    for (let m = 0; m < 40; m++)
      for (let i = 0; i < (m % 4 === 0 ? 3 : 1); i++)
        await outbox.enqueue({ key: `m${m}-${i}`, recipient: to(`m${m}`), payload: notice(`m${m}-${i}`) });
    const { notifier, sent, max } = recordingNotifier({ sendMs: 40 });
    const worker = startWorker(outbox, notifier, 8);
    await runUntil(async () => (await outbox.depth()) === 0);
    await worker.stop();

    expect(max().perRecipient).toBe(1);
    expect(max().total).toBe(8);
    expect(sent).toHaveLength(12 + 40 + 10 * 2);
    const byRecipient = new Map<string, string[]>();
    for (const s of sent) byRecipient.set(s.userId, [...(byRecipient.get(s.userId) ?? []), s.tradeId]);
    expect(byRecipient.get("busy")).toEqual(Array.from({ length: 12 }, (_, i) => `busy-${i}`));
    expect(byRecipient.get("m0")).toEqual(["m0-0", "m0-1", "m0-2"]);
    // The busy member held up nobody: every one-notice member was done before the busy member's last.
    const lastBusy = Math.max(...sent.filter((s) => s.userId === "busy").map((s) => s.at));
    const lastOther = Math.max(...sent.filter((s) => s.userId !== "busy").map((s) => s.at));
    expect(lastOther).toBeLessThan(lastBusy);
  });

  it("postpones a notice answered 429 in the outbox, keeps its recipient's order, and holds no worker meanwhile", async () => {
    const { store: outbox } = backend.freshOutbox({ clock: () => Date.now() });
    for (const key of ["a1", "a2", "a3"])
      await outbox.enqueue({ key, recipient: to("alice"), payload: notice(key) });
    let refused = 0;
    const { notifier, sent } = recordingNotifier({
      sendMs: 10,
      answer: (_r, n) => {
        if (n.tradeId !== "a1" || refused > 0) return undefined;
        refused++;
        return { ok: false, rateLimited: true, retryAfterMs: 3_000 };
      },
    });
    const worker = startWorker(outbox, notifier, 4);
    const start = Date.now();
    await runUntil(() => refused === 1);
    await outbox.enqueue({ key: "b1", recipient: to("bob"), payload: notice("b1") });
    worker.kick();
    // Bob's ack and his worker coming free are two steps: a stats read can land between them.
    await runUntil(async () => (await outbox.stats()).acked === 1 && worker.inFlight() === 0);
    // While alice's first notice waits out the 429, no worker is busy with her and bob went at once
    // (a worker held by her would come free only with her send, 3 s on).
    expect(sent.map((s) => s.tradeId)).toEqual(["b1"]);
    expect(Date.now() - start).toBeLessThan(3_000);
    await runUntil(async () => (await outbox.depth()) === 0);
    await worker.stop();

    expect(sent.filter((s) => s.userId === "alice").map((s) => s.tradeId)).toEqual(["a1", "a2", "a3"]);
    expect(sent.find((s) => s.tradeId === "a1")!.at - start).toBeGreaterThanOrEqual(3_000);
    expect(await outbox.stats()).toMatchObject({ postponed: 1, retried: 0, acked: 4 });
  });
});

describe("two instances on one Redis", () => {
  let clients: RedisClient[] = [];
  beforeAll(async () => {
    const url = inject("redisUrl");
    clients = await Promise.all([0, 1, 2, 3].map(() => connectRedis(url)));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  /** Sends per rolling window of `windowMs`, at its busiest. */
  const busiestWindow = (times: number[], windowMs: number) => {
    const sorted = [...times].sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  };

  it("drain one outbox together within one global rate, booked on a timeline shared through Redis", async () => {
    const prefix = freshPrefix();
    const [a, b, c, d] = clients as [RedisClient, RedisClient, RedisClient, RedisClient];
    const perSecond = 20;
    const instance = (outboxClient: RedisClient, slots: SlotStore) => {
      const outbox = createRedisOutbox({ client: outboxClient, prefix, clock: () => Date.now() });
      const pacer = createSendPacer({
        platform: "fake",
        slots,
        limits: { globalIntervalMs: 1000 / perSecond, chatIntervalMs: 1_000 },
      });
      const rec = recordingNotifier({ sendMs: 15, pacer });
      return { outbox, rec, worker: startWorker(outbox, rec.notifier, 8) };
    };
    const first = instance(a, createRedisSlotStore(c, prefix));
    const second = instance(b, createRedisSlotStore(d, prefix));
    for (let m = 0; m < 100; m++)
      await first.outbox.enqueue({ key: `n${m}`, recipient: to(`m${m}`), payload: notice(`n${m}`) });
    first.worker.kick();
    second.worker.kick();
    const took = await runUntil(async () => (await first.outbox.depth()) === 0, 60_000, 2);
    await Promise.all([first.worker.stop(), second.worker.stop()]);

    const times = [...first.rec.sent, ...second.rec.sent].map((s) => s.at);
    expect(times).toHaveLength(100);
    // Both instances did part of the work...
    expect(first.rec.sent.length).toBeGreaterThan(10);
    expect(second.rec.sent.length).toBeGreaterThan(10);
    // ...and together never went over the budget in any rolling second, while using most of it.
    expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(perSecond);
    expect(100 / (took / 1000)).toBeGreaterThan(perSecond * 0.9);
  });
});
