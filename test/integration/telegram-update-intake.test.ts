/**
 * The Telegram update intake under a real grammY bot and the fake Bot API, with handlers that
 * wait on promises the test opens: a slow update in one chat holds up that chat's next update and
 * nothing else, in long polling (grammY runner) and in webhook mode alike, and a stop waits for
 * the update still being handled.
 */
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createUpdateIntake, type UpdateIntake } from "../../src/platforms/telegram/update-intake.ts";
import { type FakeTelegram, startFakeTelegram, type TgUser } from "../fakes/telegram/index.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Gate {
  opened: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** One turn of the event loop: what settles on its own by then (no timers involved) has settled. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Harness {
  fake: FakeTelegram;
  bot: Bot;
  intake: UpdateIntake;
  alice: TgUser;
  bob: TgUser;
  /** What the handlers did, in order: "<who>:<text> started" / "… done". */
  events: string[];
  /** Held until opened: the handler of the message "slow". */
  slow: Gate;
  /** Resolves once the message `text` from `who` has been handled. */
  handled(who: "alice" | "bob", text: string): Promise<void>;
  /** Writes in the member's private chat; returns the update the fake queued. */
  write(who: TgUser, text: string): Update;
}

/** Stop does not return while the "slow" handler runs, and returns once it is let go. */
async function stopWaitsForTheSlowHandler(h: Harness): Promise<void> {
  let stopped = false;
  const stopping = h.intake.stop().then(() => {
    stopped = true;
  });
  await turn();
  expect(stopped).toBe(false);

  h.slow.open();
  await stopping;
}

async function harness(): Promise<Harness> {
  const fake = await startFakeTelegram();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  await bot.init();
  const intake = createUpdateIntake(bot, { logger: pino({ level: "silent" }) });
  const slow = gate();
  cleanups.push(async () => {
    slow.open();
    await intake.stop();
    await fake.close();
  });
  const alice = fake.user({ first_name: "Alice" });
  const bob = fake.user({ first_name: "Bob" });
  for (const member of [alice, bob]) fake.addChat(fake.privateChat(member));

  const events: string[] = [];
  const finished = new Map<string, () => void>();
  const done = new Map<string, Promise<void>>();
  const doneOf = (label: string) => {
    let promise = done.get(label);
    if (!promise) {
      promise = new Promise((resolve) => finished.set(label, resolve));
      done.set(label, promise);
    }
    return promise;
  };
  bot.on("message:text", async (ctx) => {
    const label = `${ctx.from.id === alice.id ? "alice" : "bob"}:${ctx.message.text}`;
    doneOf(label);
    events.push(`${label} started`);
    if (ctx.message.text === "slow") await slow.opened;
    events.push(`${label} done`);
    finished.get(label)?.();
  });
  bot.catch((err) => {
    events.push(`failed: ${String(err.error)}`);
  });

  return {
    fake,
    bot,
    intake,
    alice,
    bob,
    events,
    slow,
    handled: (who, text) => doneOf(`${who}:${text}`),
    write(who, text) {
      const { update } = fake.sendText(who, fake.privateChat(who), text);
      if (!update) throw new Error("the fake did not queue the update");
      return update as Update;
    },
  };
}

describe("the Telegram update intake", () => {
  it("long polling: handles another chat while one chat's update is slow, and that chat's next update only after it; a stop waits for it", async () => {
    const h = await harness();
    h.bot.api.config.use((prev, method, payload, signal) => {
      if (method === "getUpdates" && (payload as { timeout?: number }).timeout === 0) {
        h.events.push("offset confirmed");
      }
      return prev(method, payload, signal);
    });
    h.intake.poll({ allowedUpdates: ["message"], timeoutSeconds: 5, onFailure: () => undefined });

    h.write(h.alice, "slow");
    h.write(h.alice, "second");
    h.write(h.bob, "hello");
    await h.handled("bob", "hello");
    expect(h.events).toEqual(["alice:slow started", "bob:hello started", "bob:hello done"]);

    await stopWaitsForTheSlowHandler(h);
    expect(h.events).toEqual([
      "alice:slow started",
      "bob:hello started",
      "bob:hello done",
      "alice:slow done",
      "alice:second started",
      "alice:second done",
      "offset confirmed",
    ]);
    // The last batch was confirmed on the way out: the next start does not handle it again.
    expect(await h.bot.api.getUpdates({ timeout: 0 })).toEqual([]);
    expect(h.fake.violations).toEqual([]);
  });

  it("webhook: takes an update before it is handled, and keeps each chat's order", async () => {
    const h = await harness();

    // Resolved while its handler waits: the webhook can be answered.
    await h.intake.accept(h.write(h.alice, "slow"));
    await turn();
    expect(h.events).toEqual(["alice:slow started"]);
    await h.intake.accept(h.write(h.alice, "second"));
    await h.intake.accept(h.write(h.bob, "hello"));
    await h.handled("bob", "hello");
    expect(h.events).toEqual(["alice:slow started", "bob:hello started", "bob:hello done"]);

    await stopWaitsForTheSlowHandler(h);
    expect(h.events.slice(3)).toEqual(["alice:slow done", "alice:second started", "alice:second done"]);
  });
});
