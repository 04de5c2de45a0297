import { describe, expect, it } from "vitest";
import { createVirtualClock } from "../../src/sandbox/clock.ts";

describe("the virtual clock", () => {
  it("runs due tasks in time order, ties in scheduling order, each at its own time", async () => {
    const clock = createVirtualClock(0);
    const ran: string[] = [];
    clock.schedule(3_000, "c", () => {
      ran.push(`c@${clock.nowMs()}`);
    });
    clock.schedule(1_000, "a", () => {
      ran.push(`a@${clock.nowMs()}`);
    });
    clock.schedule(1_000, "b", () => {
      ran.push(`b@${clock.nowMs()}`);
    });
    clock.schedule(9_000, "later", () => {
      ran.push("later");
    });
    expect(await clock.advance(5)).toBe(3);
    expect(ran).toEqual(["a@1000", "b@1000", "c@3000"]);
    expect(clock.nowMs()).toBe(5_000);
  });

  it("also runs tasks that running tasks schedule within the same advance", async () => {
    const clock = createVirtualClock(0);
    const ran: number[] = [];
    const step = () => {
      ran.push(clock.nowMs());
      if (ran.length < 5) clock.after(2, "next", step);
    };
    clock.after(2, "first", step);
    await clock.advance(7);
    expect(ran).toEqual([2_000, 4_000, 6_000]);
    await clock.advance(10);
    expect(ran).toEqual([2_000, 4_000, 6_000, 8_000, 10_000]);
  });

  it("forgets a trade's tasks when cancelled, and serializes concurrent advances", async () => {
    const clock = createVirtualClock(0);
    const ran: string[] = [];
    clock.after(
      1,
      "x",
      () => {
        ran.push("x");
      },
      "t1",
    );
    clock.after(
      1,
      "y",
      async () => {
        await new Promise((r) => setImmediate(r));
        ran.push("y");
      },
      "t2",
    );
    clock.cancelTrade("t1");
    expect(clock.hasPendingFor("t1")).toBe(false);
    await Promise.all([clock.advance(1), clock.advance(1)]);
    expect(ran).toEqual(["y"]);
    expect(clock.nowMs()).toBe(2_000);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});
