/**
 * The send pacer on a fake clock: slots spaced on the timeline, never more than the guard allows
 * in any rolling window even when the clock jumps (a busy event loop firing late timers), replies
 * before notices, oldest notice first, and a chat's turn counted from its last send.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSendPacer, deliveringNotice, type PaceLimits } from "../../src/core/pacing.ts";
import { createMemorySlotStore } from "../../src/store/send-slots.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: Date.UTC(2026, 0, 1, 12) });
});
afterEach(() => {
  vi.useRealTimers();
});

const limits: PaceLimits = {
  globalIntervalMs: 25,
  chatIntervalMs: 1_000,
  window: { limit: 40, windowMs: 1_040 },
};

/** The most sends in any rolling window of `windowMs`. */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("the send pacer", () => {
  it("spaces slots on the timeline and keeps any rolling second within the guard, even through a stall", async () => {
    const pacer = createSendPacer({ platform: "t", slots: createMemorySlotStore(), limits });
    const sent: number[] = [];
    const all = Array.from({ length: 200 }, () =>
      pacer.globalSlot("notice").then(() => sent.push(Date.now())),
    );
    // Half a second in, the event loop stalls for 300 ms: every timer due meanwhile fires at once.
    await vi.advanceTimersByTimeAsync(500);
    vi.setSystemTime(Date.now() + 300);
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    expect(sent).toHaveLength(200);
    expect(busiest(sent, 1_000)).toBeLessThanOrEqual(40);
    // And uses the budget: 200 slots 25 ms apart, plus the stall.
    expect((sent.at(-1) as number) - (sent[0] as number)).toBeLessThan(200 * 25 + 300 + 200);
  });

  it("serves replies before notices waiting on the same instance, and the oldest notice first", async () => {
    const pacer = createSendPacer({ platform: "t", slots: createMemorySlotStore(), limits });
    const order: string[] = [];
    const notice = (name: string, enqueuedAt: number) =>
      deliveringNotice(enqueuedAt, () => pacer.globalSlot("notice")).then(() => order.push(name));
    const waits = [notice("young", 3), notice("old", 1), notice("middle", 2)];
    waits.push(pacer.globalSlot("reply").then(() => order.push("reply")));
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(waits);
    // All three notices were waiting when the first slot was booked: it went to the oldest.
    expect(order).toEqual(["old", "reply", "middle", "young"]);
  });

  it("gives a chat its next turn a full interval after its last send", async () => {
    const pacer = createSendPacer({ platform: "t", slots: createMemorySlotStore(), limits });
    expect(await pacer.noticeTurn("42")).toBe(0);
    await vi.advanceTimersByTimeAsync(300); // waiting for a global slot
    await pacer.sentTo("42");
    await vi.advanceTimersByTimeAsync(1_000 - 300);
    expect(await pacer.noticeTurn("42")).toBe(300);
    expect(await pacer.noticeTurn("43")).toBe(0);
  });
});
