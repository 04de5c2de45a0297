/**
 * The demo's terminal chat over the real app and sandbox: an unknown or bare `/admin` answers with
 * what there is, a picker's numbers mean the same item (and button) on every page, and several
 * items are picked at once with `3 5` or `3-7`.
 */
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createConsoleChat, parseNumberList } from "../../src/platforms/console/chat.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld({ redisUrl: inject("redisUrl") });
});
afterAll(async () => {
  await w?.close();
});

/** A terminal on the app: `say` a line, read what it printed since. */
function terminal(userId: string) {
  const output = new PassThrough();
  let screen = "";
  output.on("data", (c: Buffer) => {
    screen += c.toString();
  });
  const chat = createConsoleChat({ app: w.app.app, input: new PassThrough(), output, userId, isAdmin: true });
  return {
    async say(line: string): Promise<string> {
      const from = screen.length;
      await chat.say(line);
      return screen.slice(from);
    },
  };
}

/** `[n] label` → n, for the line whose label matches. */
function numberOf(screen: string, label: RegExp): number {
  for (const m of screen.matchAll(/\[(\d+)\]\s+\(?([^[\n]*)/g)) {
    if (label.test((m[2] ?? "").trim())) return Number(m[1]);
  }
  throw new Error(`no [n] ${label} in:\n${screen}`);
}

describe("the demo's terminal", () => {
  it("answers a bare or unknown /admin with the moderator commands, not an apology", async () => {
    const t = terminal(`mod-${Date.now()}`);
    for (const line of ["/admin", "/admin frobnicate"]) {
      const out = await t.say(line);
      expect(out).toContain("Moderator commands:");
      expect(out).toContain("/admin audit — Show the community's own trades");
      expect(out).not.toContain("went wrong");
    }
  });

  it("keeps numbers across picker pages and picks several items with `3 5` and `3-7`", async () => {
    const userId = `demo-${Date.now()}`;
    const t = terminal(userId);
    expect(await t.say(`/link ${w.tradeUrl()}`)).toContain("Linked!");
    const first = await t.say("/deposit");
    expect(first).toContain("Page 1 of");
    const confirm = numberOf(first, /^Confirm/);
    const next = numberOf(first, /^Next/);
    expect(numberOf(first, /./)).toBe(1);

    // Page 2's items continue the count, and its buttons keep their numbers.
    const second = await t.say(String(next));
    expect(second).toContain("Page 2 of");
    expect(numberOf(second, /^Confirm/)).toBe(confirm);
    expect(numberOf(second, /^Next|^Prev/)).toBeLessThan(confirm);
    // The items this page offers (untradable ones have no number): they continue the count.
    const listed = [...second.matchAll(/\[(\d+)\] ▫️/g)].map((m) => Number(m[1]));
    expect(Math.min(...listed)).toBeGreaterThan(8);
    expect(await t.say("1")).toContain("No button 1 here.");

    const [a, b] = listed as [number, number];
    expect(await t.say(`${a} ${b}`)).toContain("2 items selected");
    // The longest run of consecutive numbers left on the page, picked as a range.
    const rest = listed.slice(2);
    const runs: number[][] = [];
    for (const n of rest) {
      const last = runs.at(-1);
      if (last && n === (last.at(-1) ?? 0) + 1) last.push(n);
      else runs.push([n]);
    }
    const run = runs.sort((x, y) => y.length - x.length)[0] ?? [];
    if (run.length > 0) {
      const ranged = await t.say(`${run[0]}-${run.at(-1)}`);
      expect(ranged).toContain(`${2 + run.length} items selected`);
    }
    expect(await t.say(`${a} ${confirm}`)).toContain("Only items can be picked together");
  });

  it("reads number lists and refuses anything else", () => {
    expect(parseNumberList("3 5")).toEqual([3, 5]);
    expect(parseNumberList("3-7")).toEqual([3, 4, 5, 6, 7]);
    expect(parseNumberList("1, 4 - 6")).toEqual([1, 4, 5, 6]);
    expect(parseNumberList("3")).toBeUndefined();
    expect(parseNumberList("7-3")).toBeUndefined();
    expect(parseNumberList("3 x")).toBeUndefined();
    expect(parseNumberList("1-1000")).toBeUndefined();
  });
});
