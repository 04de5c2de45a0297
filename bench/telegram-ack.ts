/**
 * How fast a button press is acknowledged: from the moment the fake Telegram queues a callback
 * query to the moment answerCallbackQuery reaches it, over 1,000 presses on a real picker of the
 * real app (memory store, long polling, sandbox behind it), against a bare grammY bot that only
 * answers, polling the way the app does (grammY runner, which fetches the next batch while the
 * last one is being handled), measured in the same run on the same kind of fake. Presses alternate between the two
 * bots in blocks so drift in the machine's load hits both alike; each press waits until the bot is
 * parked on its next long poll and, for the app, until the picker was edited, so one press's work
 * never overlaps the next press's measurement.
 *
 * Run: npx tsx bench/telegram-ack.ts   (target: app p99 within 2 ms of the bare bot's p99)
 */
import { run } from "@grammyjs/runner";
import { Bot, InlineKeyboard } from "grammy";
import { buttonData, startWorld, tradeUrl, type World } from "../test/e2e/support-telegram.ts";
import {
  type FakeTelegram,
  startFakeTelegram,
  type TgMessage,
  type TgUser,
} from "../test/fakes/telegram/index.ts";

const PRESSES = Number(process.env.BENCH_PRESSES ?? 1000);
const WARMUP = 100;
const BLOCK = 100;
const TARGET_P99_GAP_MS = 2;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Resolves once the bot's newest getUpdates is parked (sent, not yet answered). */
function parked(fake: FakeTelegram): Promise<unknown> {
  return fake.waitFor((f) => {
    const polls = f.callsTo("getUpdates");
    return polls.length > 0 && polls.at(-1)?.response === undefined;
  });
}

interface Target {
  name: string;
  fake: FakeTelegram;
  /** Presses once; resolves with the acknowledgement latency in ms once the bot is done with it. */
  press(): Promise<number>;
}

async function bareBot(): Promise<{ target: Target; stop(): Promise<void> }> {
  const fake = await startFakeTelegram();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());
  const member: TgUser = fake.user();
  fake.addChat(fake.privateChat(member));
  const sent = await bot.api.sendMessage(member.id, "pick", {
    reply_markup: new InlineKeyboard().text("1. AK-47 | Redline", "1:pick.select:AAAAAAAAAA:0"),
  });
  const runner = run(bot, { runner: { fetch: { timeout: 30 } } });
  return {
    target: {
      name: "bare grammY bot",
      fake,
      async press() {
        await parked(fake);
        const handle = fake.pressButton(member, sent, "1:pick.select:AAAAAAAAAA:0");
        const answer = await handle.answered;
        return answer.at - handle.injectedAt;
      },
    },
    async stop() {
      await runner.stop();
      await fake.close();
    },
  };
}

async function skinbridge(): Promise<{ target: Target; world: World }> {
  const world = await startWorld({ platform: { pollTimeoutSeconds: 30 } });
  const member = world.member();
  await world.say(member, `/link ${tradeUrl(55_555)}`);
  const picker: TgMessage = await world.say(member, "/deposit");
  const data = buttonData(picker, /^1\. /);
  return {
    world,
    target: {
      name: "skinbridge",
      fake: world.fake,
      async press() {
        await parked(world.fake);
        const since = world.fake.calls.length;
        const current = world.fake.message(member.chat.id, picker.message_id);
        if (!current) throw new Error("the picker is gone");
        const handle = world.fake.pressButton(member.user, current, data);
        const answer = await handle.answered;
        await world.fake.waitForCall("editMessageText", { since });
        await world.platform.idle();
        return answer.at - handle.injectedAt;
      },
    },
  };
}

async function main(): Promise<void> {
  const bare = await bareBot();
  const app = await skinbridge();
  const targets = [bare.target, app.target];
  const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));

  for (const t of targets) for (let i = 0; i < WARMUP; i++) await t.press();
  for (let done = 0; done < PRESSES; done += BLOCK) {
    for (const t of targets) {
      const into = samples.get(t.name)!;
      for (let i = 0; i < Math.min(BLOCK, PRESSES - done); i++) into.push(await t.press());
    }
  }

  const stats = targets.map((t) => {
    const sorted = [...samples.get(t.name)!].sort((a, b) => a - b);
    return { name: t.name, n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  });
  const violations = targets.flatMap((t) => t.fake.violations);
  await app.world.close();
  await bare.stop();

  console.log(`callback query → answerCallbackQuery, ${PRESSES} presses each (after ${WARMUP} warm-up)`);
  for (const s of stats) {
    console.log(
      `  ${s.name.padEnd(16)} p50 ${s.p50.toFixed(2).padStart(6)} ms   p99 ${s.p99.toFixed(2).padStart(6)} ms`,
    );
  }
  const [base, ours] = stats as [(typeof stats)[0], (typeof stats)[0]];
  const gap = ours.p99 - base.p99;
  console.log(
    `  difference       p50 ${(ours.p50 - base.p50).toFixed(2).padStart(6)} ms   p99 ${gap.toFixed(2).padStart(6)} ms` +
      `   (target: p99 within ${TARGET_P99_GAP_MS} ms: ${gap <= TARGET_P99_GAP_MS ? "met" : "MISSED"})`,
  );
  if (violations.length > 0) {
    console.log(`  violations recorded by the fake: ${violations.map((v) => v.description).join("; ")}`);
    process.exitCode = 1;
  }
}

await main();
