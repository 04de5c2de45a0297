/**
 * A community "drop" against the project's fakes, which enforce the platforms' limits over any
 * rolling second (Telegram: 30 messages a second, one a second per chat; Discord: 50 requests a
 * second, 5 messages per 5 s per DM channel): 300 members get one DM each at once, plus one
 * member who gets 20 in a row, queued first. The notices go in the way settlement puts them in
 * (the app's outbox, then a kick to the worker) and out through the real app, outbox worker,
 * pacing and platform clients, at the default OUTBOX_CONCURRENCY. On Telegram, 40 other members
 * type /balance while the drop drains, and their replies share the bot's budget.
 *
 * Prints, per platform: the drain rate against the platform's limit (target ≥ 0.9), 429s
 * (target 0), the busy member's 20 DMs (in order, done within 1.2 s × 20 of the first), and on
 * Telegram the p50/p99 of the /balance replies during the drop. Then idle memory: the RSS of the
 * started app (`node --import tsx src/main.ts`, both platforms, memory store) against a bare
 * process that imports discord.js and grammY the same way (target ≤ ×1.5).
 *
 * Run: npx tsx bench/notifications.ts   (BENCH_ONLY=telegram|discord|memory runs one part;
 * BENCH_DEBUG=1 adds per-second counts and the first refusals, for tuning the pacing)
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { Notice, Recipient } from "../src/core/notifications.ts";
import { createDiscordPlatform } from "../src/platforms/discord/index.ts";
import { startWorld } from "../test/e2e/support-telegram.ts";
import { startFakeDiscord } from "../test/fakes/discord/index.ts";
import { startFakeTelegram } from "../test/fakes/telegram/index.ts";

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const MEMBERS = 300;
const BUSY = 20;
const REPLIERS = 40;
const TELEGRAM_PER_SECOND = 30;
const DISCORD_PER_SECOND = 50;
const BUSY_BUDGET_MS = 1_200 * BUSY;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const fmt = (x: number, digits = 2) => x.toFixed(digits);

/** Busy members' notices carry 1.01, 1.02 … so their order can be read back from the texts. */
const credited = (tradeId: string, cents: number): Notice => ({
  kind: "deposit.credited",
  tradeId,
  game: "730",
  amountCents: cents,
  balanceCents: cents,
});

interface Outbox {
  enqueue(input: { key: string; recipient: Recipient; payload: Notice }): Promise<unknown>;
}

async function drop(outbox: Outbox, kick: () => void, platform: string, busy: string, members: string[]) {
  for (let i = 0; i < BUSY; i++) {
    await outbox.enqueue({
      key: `busy:${i}`,
      recipient: { platform, userId: busy },
      payload: credited(`busy-${i}`, 101 + i),
    });
  }
  for (const [i, userId] of members.entries()) {
    await outbox.enqueue({
      key: `drop:${i}`,
      recipient: { platform, userId },
      payload: credited(`d-${i}`, 500),
    });
  }
  kick();
}

function busyReport(texts: string[], times: number[]): string {
  const amounts = texts.map((t) => Number(/\$1\.(\d\d)/.exec(t)?.[1] ?? -1));
  const inOrder = amounts.length === BUSY && amounts.every((a, i) => a === i + 1);
  const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
  return `busy member: ${texts.length}/${BUSY} DMs, ${inOrder ? "in order" : "OUT OF ORDER"}, last ${fmt(span / 1000, 1)} s after the first (budget ${BUSY_BUDGET_MS / 1000} s: ${span <= BUSY_BUDGET_MS ? "ok" : "OVER"})`;
}

async function until(done: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("the drop did not drain in time");
    await sleep(200);
  }
}

async function telegramDrop(): Promise<boolean> {
  const world = await startWorld({
    fake: { rateLimit: { perChatPerSecond: 1, globalPerSecond: TELEGRAM_PER_SECOND } },
  });
  const { fake } = world;
  const busy = world.member();
  const members = Array.from({ length: MEMBERS }, () => world.member());
  const repliers = Array.from({ length: REPLIERS }, () => world.member());
  const ids = new Set(members.map((m) => m.user.id));

  const core = world.app.core;
  await drop(
    { enqueue: (input) => core.outbox.enqueue(input) },
    () => world.app.worker.kick(),
    "telegram",
    String(busy.user.id),
    members.map((m) => String(m.user.id)),
  );
  // Members typing /balance while the drop drains: one every 100 ms from 1 s in.
  await sleep(1_000);
  const asked: { chatId: number; at: number }[] = [];
  for (const r of repliers) {
    asked.push({ chatId: r.chat.id, at: fake.sendText(r.user, r.chat, "/balance").injectedAt });
    await sleep(100);
  }
  // Checked every 200 ms rather than on every call the fake sees, so the bench's own bookkeeping
  // does not compete with the bot for the event loop.
  const sentTo = (chatId: number) =>
    fake.callsTo("sendMessage").filter((c) => c.response?.ok && Number(c.params.chat_id) === chatId).length;
  await until(() => {
    const ok = fake.callsTo("sendMessage").filter((c) => c.response?.ok);
    const members = ok.filter((c) => ids.has(Number(c.params.chat_id))).length;
    return members >= MEMBERS && sentTo(busy.chat.id) >= BUSY && repliers.every((r) => sentTo(r.chat.id) > 0);
  });

  const sends = fake.callsTo("sendMessage");
  const drained = sends.filter((c) => c.response?.ok && ids.has(Number(c.params.chat_id))).map((c) => c.at);
  const [first, last] = [Math.min(...drained), Math.max(...drained)];
  // Everything the bot sent while the 300 drained counts against the same 30 a second.
  const inDrop = sends.filter((c) => c.response?.ok && c.at >= first && c.at <= last).length;
  const rate = (inDrop - 1) / ((last - first) / 1000);
  const memberRate = (drained.length - 1) / ((last - first) / 1000);
  const limited = sends.filter((c) => c.response && !c.response.ok && c.response.error_code === 429).length;
  const replyMs = asked
    .map(
      (a) =>
        (sends.find((c) => Number(c.params.chat_id) === a.chatId && c.response?.ok)?.at ?? Number.NaN) - a.at,
    )
    .sort((x, y) => x - y);
  if (process.env.BENCH_DEBUG) {
    const t0 = Math.min(...drained);
    console.log(
      sends
        .filter((c) => Number(c.params.chat_id) === busy.user.id)
        .map((c) => `${Math.round(c.at - t0)}${c.response?.ok ? "" : "!"}`)
        .join(" "),
    );
    const firstBad = sends.findIndex((x) => x.response && !x.response.ok);
    if (firstBad >= 0)
      console.log(
        sends
          .slice(Math.max(0, firstBad - 32), firstBad + 1)
          .map(
            (c) =>
              `${Math.round(c.at - t0)}${ids.has(Number(c.params.chat_id)) ? "m" : c.params.chat_id === busy.user.id ? "b" : "r"}`,
          )
          .join(" "),
      );
    for (const c of sends.filter((x) => x.response && !x.response.ok).slice(0, 3))
      console.log(
        Math.round(c.at - t0),
        c.params.chat_id === busy.user.id ? "busy" : ids.has(Number(c.params.chat_id)) ? "member" : "replier",
        JSON.stringify(c.response),
      );
  }
  const busySends = sends.filter((c) => Number(c.params.chat_id) === busy.user.id && c.response?.ok);

  console.log("Telegram (30 msg/s, 1/s per chat, rolling):");
  console.log(
    `  drain rate: ${fmt(rate, 1)} msg/s → ${fmt(rate / TELEGRAM_PER_SECOND)} of 30 (target ≥ 0.90) while the 300 drained (${fmt(memberRate, 1)} msg/s to them; the rest to the busy member and /balance replies)`,
  );
  console.log(`  429s: ${limited} (target 0)`);
  console.log(
    `  ${busyReport(
      world.botMessages(busy.chat.id).map((m) => m.text ?? ""),
      busySends.map((c) => c.at),
    )}`,
  );
  console.log(
    `  /balance replies during the drop (${replyMs.length}): p50 ${fmt(percentile(replyMs, 50), 0)} ms, p99 ${fmt(percentile(replyMs, 99), 0)} ms`,
  );
  await world.close();
  return rate / TELEGRAM_PER_SECOND >= 0.9 && limited === 0;
}

const snowflake = (n: number) => (1_300_000_000_000_100_000n + BigInt(n)).toString();

async function discordDrop(): Promise<boolean> {
  const busy = snowflake(0);
  const members = Array.from({ length: MEMBERS }, (_, i) => snowflake(i + 1));
  const fake = await startFakeDiscord({
    guilds: [
      {
        id: "1300000000000000001",
        name: "Drop",
        members: [busy, ...members].map((id, i) => ({ id, username: `member${i}` })),
      },
    ],
    globalRequestsPerSecond: DISCORD_PER_SECOND,
    rateLimits: [{ method: "POST", route: "/channels/:id/messages", limit: 5, windowMs: 5_000 }],
  });
  const config = loadConfig({
    ASSETPAY_API_KEY: "ap_bench_key_0123456789",
    ASSETPAY_API_SECRET: "bench-secret-0123456789",
    ASSETPAY_BASE_URL: "http://127.0.0.1:9",
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE: fake.apiBase,
    SKINBRIDGE_EPHEMERAL: "true",
    LOG_LEVEL: "silent",
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: String(await freePort()),
    RECONCILE_INTERVAL_SECONDS: "0",
  });
  const app = await createApp(config, { outboxPollMs: 20 });
  // Only the notifier: DMs need REST and the token, not the gateway.
  const platform = createDiscordPlatform(app, config.discord!, { registerCommands: false });
  app.addNotifier(platform.notifier);
  await app.start();
  await drop(app.core.outbox, () => app.worker.kick(), "discord", busy, members);
  const messagesOk = () => fake.calls.filter((c) => c.status === 200 && c.path.endsWith("/messages")).length;
  await until(() => messagesOk() >= MEMBERS + BUSY);

  const dm = fake.calls.filter(
    (c) =>
      c.status === 200 &&
      c.method === "POST" &&
      (c.path === "/users/@me/channels" || c.path.endsWith("/messages")),
  );
  const toSeconds = (at: bigint) => Number(at / 1_000n) / 1e6;
  const dropChannels = new Set(members.map((m) => fake.dmsTo(m)[0]?.channel_id));
  const drained = dm.filter((c) => dropChannels.has(c.path.split("/")[2])).map((c) => toSeconds(c.at));
  const [first, last] = [Math.min(...dm.map((c) => toSeconds(c.at))), Math.max(...drained)];
  // Every DM request while the 300 drained counts against the same 50 a second.
  const inDrop = dm.filter((c) => toSeconds(c.at) <= last).length;
  const rate = (inDrop - 1) / (last - first);
  const dmsPerSecond = (drained.length - 1) / (last - first);
  const limited = fake.calls.filter((c) => c.status === 429).length;
  if (process.env.BENCH_DEBUG) {
    const t0 = fake.calls[0]?.at ?? 0n;
    const perSecond = new Map<number, number>();
    for (const c of fake.calls) {
      const sec = Number((c.at - t0) / 1_000_000_000n);
      perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1);
    }
    console.log([...perSecond.values()].join(" "));
    const bad = fake.calls.find((c) => c.status === 429);
    const busyChannel = fake.dmsTo(busy)[0]?.channel_id;
    console.log(
      bad?.path,
      bad?.path.includes(String(busyChannel)) ? "busy" : "other",
      Number(((bad?.at ?? 0n) - t0) / 1_000_000n),
    );
    const onBad = fake.calls
      .filter((c) => c.path === bad?.path)
      .map((c) => `${Number((c.at - t0) / 1_000_000n)}:${c.status}`);
    console.log(onBad.join(" "));
    console.log(
      fake.calls
        .slice(0, 0)
        .map(
          (c) =>
            `${Number((c.at - t0) / 1_000_000n)}${c.path.startsWith("/users") ? "u" : "m"}${c.status === 200 ? "" : c.status}`,
        )
        .join(" "),
    );
  }
  const busyMessages = fake.dmsTo(busy);
  const busyAt = busyMessages.map((m) => Date.parse(m.timestamp));

  console.log("Discord (50 req/s global, 5 per 5 s per DM channel, rolling):");
  console.log(
    `  DM requests: ${fmt(rate, 1)} req/s → ${fmt(rate / DISCORD_PER_SECOND)} of 50 (target ≥ 0.90) while the 300 drained; ${fmt(dmsPerSecond, 1)} of their DMs/s (a first DM to a member also opens the channel)`,
  );
  console.log(`  429s: ${limited} (target 0)`);
  console.log(
    `  ${busyReport(
      busyMessages.map((m) => JSON.stringify(m.embeds ?? m.content)),
      busyAt,
    )}`,
  );
  await app.stop();
  await fake.close();
  return rate / DISCORD_PER_SECOND >= 0.9 && limited === 0;
}

/** Resident set size of a process, from /proc (Linux). */
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function idleRss(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (out: string) => boolean,
): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += String(d);
  });
  child.stderr.on("data", (d) => {
    out += String(d);
  });
  const deadline = Date.now() + 60_000;
  while (!ready(out)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`did not start: ${out.slice(-2000)}`);
    await sleep(100);
  }
  // Settle: let start-up garbage be collected as an idle process would.
  await sleep(5_000);
  const mb = rssMb(child.pid as number);
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  return mb;
}

async function memory(): Promise<boolean> {
  const bare = await idleRss(
    [
      "-e",
      "await import('discord.js'); await import('grammy'); console.log('ready'); setInterval(() => {}, 1e6);",
      "--input-type=module",
    ],
    { ...process.env },
    (out) => out.includes("ready"),
  );
  const tg = await startFakeTelegram();
  const dc = await startFakeDiscord();
  const app = await idleRss(
    ["src/main.ts"],
    {
      ...process.env,
      ASSETPAY_API_KEY: "ap_bench_key_0123456789",
      ASSETPAY_API_SECRET: "bench-secret-0123456789",
      ASSETPAY_MERCHANT_ID: "5b0c3a9e-2f1d-4c1b-9a55-6f2f0d5e7a11",
      ASSETPAY_BASE_URL: "http://127.0.0.1:9",
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DISCORD_TOKEN: dc.token,
      DISCORD_API_BASE: dc.apiBase,
      SKINBRIDGE_EPHEMERAL: "true",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: "info",
    },
    (out) => out.includes("Discord connected") && out.includes("telegram long polling started"),
  );
  await tg.close();
  await dc.close();
  console.log("Idle memory:");
  console.log(
    `  started app ${fmt(app, 0)} MB vs bare discord.js + grammY ${fmt(bare, 0)} MB → ×${fmt(app / bare)} (target ≤ ×1.5)`,
  );
  return app / bare <= 1.5;
}

const only = process.env.BENCH_ONLY;
const results = [
  only && only !== "telegram" ? true : await telegramDrop(),
  only && only !== "discord" ? true : await discordDrop(),
  only && only !== "memory" ? true : await memory(),
];
process.exit(results.every(Boolean) ? 0 : 1);
