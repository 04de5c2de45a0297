/**
 * How long a member waits for Discord's "thinking…": from the fake Discord's INTERACTION_CREATE
 * dispatch to the acknowledgement reaching it, over 1,000 /balance commands through the real app
 * (createApp + the Discord platform), against a bare discord.js client that acknowledges without
 * any work, measured in the same run, alternating one by one so both see the same machine.
 * Plus the time to render one picker page of a 5,000-item inventory (pickerView + the Discord
 * renderer), against a 25-item inventory.
 *
 * Run: npx tsx bench/discord-ack.ts   (target: app p99 within 2 ms of the bare client's p99)
 */
import { Client, Events, GatewayIntentBits, MessageFlags } from "discord.js";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { PickerEntry, PickerSession } from "../src/core/picker.ts";
import { createDiscordPlatform } from "../src/platforms/discord/index.ts";
import { renderView } from "../src/platforms/discord/render.ts";
import { createI18n } from "../src/ui/i18n.ts";
import { pickerView } from "../src/ui/views/picker-view.ts";
import { type FakeDiscord, type InteractionHandle, startFakeDiscord } from "../test/fakes/discord/index.ts";

const N = Number(process.env.BENCH_INTERACTIONS ?? 1000);
const BATCH = 1;
const WARMUP = 50;
const RENDERS = Number(process.env.BENCH_RENDERS ?? 2000);
const MEMBER = "1300000000000001001";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
}

const ms = (n: number) => `${n.toFixed(3)} ms`;

async function waitCommands(fake: FakeDiscord) {
  await fake.waitFor((f) => f.commands().length > 0, 10_000);
}

/** Dispatches /balance and resolves with the dispatch→ack time, once the interaction is fully answered. */
async function one(fake: FakeDiscord, finished: (h: InteractionHandle) => Promise<unknown>): Promise<number> {
  const handle = fake.dispatchInteraction({ type: "command", name: "balance", userId: MEMBER });
  const ack = await handle.acknowledged;
  await finished(handle);
  return Number(ack.at - handle.dispatchedAt) / 1e6;
}

async function startAppSide() {
  const fake = await startFakeDiscord();
  const config = loadConfig({
    ASSETPAY_API_KEY: "ap_bench_key",
    ASSETPAY_API_SECRET: "bench-secret-0123456789",
    ASSETPAY_BASE_URL: "http://127.0.0.1:9",
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE: fake.apiBase,
    SKINBRIDGE_EPHEMERAL: "true",
    LOG_LEVEL: "silent",
    HTTP_HOST: "127.0.0.1",
    RECONCILE_INTERVAL_SECONDS: "0",
  });
  config.http.port = 0;
  const app = await createApp(config);
  const platform = createDiscordPlatform(app, config.discord!);
  app.addNotifier(platform.notifier);
  await app.start();
  await platform.start();
  await waitCommands(fake);
  const prefix = (h: InteractionHandle) => `/webhooks/${fake.applicationId}/${h.token}`;
  // The app's answer is complete once its edit of the deferred reply has landed.
  const finished = (h: InteractionHandle) =>
    fake.waitFor((f) => f.calls.some((c) => c.method === "PATCH" && c.path.startsWith(prefix(h))));
  return {
    fake,
    run: () => one(fake, finished),
    async close() {
      await platform.stop();
      await app.stop();
      await fake.close();
    },
  };
}

async function startBareSide() {
  const fake = await startFakeDiscord();
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
  client.on(Events.InteractionCreate, (i) => {
    if (i.isChatInputCommand()) void i.deferReply({ flags: MessageFlags.Ephemeral });
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  await client.application?.commands.set([{ name: "balance", description: "Show your balance" }]);
  await waitCommands(fake);
  return {
    fake,
    run: () => one(fake, async () => undefined),
    async close() {
      await client.destroy();
      await fake.close();
    },
  };
}

function inventory(count: number): PickerSession {
  const entries: PickerEntry[] = Array.from({ length: count }, (_, i) => ({
    id: `730_${String(10_000_000_000 + i)}`,
    name: `StatTrak™ AK-47 | Case Hardened #${i}`,
    exterior: "Field-Tested",
    wear: "0.2512345678",
    priceCents: 250_000 - (i % 10_000),
    quotedCents: 250_000 - (i % 10_000),
    amount: 1,
    selectable: i % 9 !== 0,
  }));
  return {
    id: "bench_pick",
    owner: "discord:1",
    kind: "deposit",
    game: "730",
    entries,
    selected: entries.filter((e, i) => e.selectable && i % 4 === 0).map((e) => e.id),
    page: 0,
    pageSize: 25,
    createdAt: Date.now(),
    expiresAt: Date.now() + 900_000,
    state: "open",
  };
}

function renderTimes(count: number): number[] {
  const i18n = createI18n({ defaultLocale: "en" });
  const session = inventory(count);
  const pages = Math.ceil(count / session.pageSize);
  const times: number[] = [];
  for (let n = 0; n < RENDERS + 100; n++) {
    session.page = (n * 37) % pages;
    const t0 = performance.now();
    renderView(pickerView(i18n, "en", session));
    const t = performance.now() - t0;
    if (n >= 100) times.push(t);
  }
  return times;
}

async function main() {
  const appSide = await startAppSide();
  const bareSide = await startBareSide();
  const appAcks: number[] = [];
  const bareAcks: number[] = [];
  try {
    for (let i = 0; i < WARMUP; i++) {
      await appSide.run();
      await bareSide.run();
    }
    for (let done = 0; done < N; done += BATCH) {
      for (let i = 0; i < BATCH; i++) appAcks.push(await appSide.run());
      for (let i = 0; i < BATCH; i++) bareAcks.push(await bareSide.run());
    }
    const violations = appSide.fake.violations.length + bareSide.fake.violations.length;
    if (violations > 0) throw new Error(`the fakes recorded ${violations} violations`);
  } finally {
    await appSide.close();
    await bareSide.close();
  }

  const a = summary(appAcks);
  const b = summary(bareAcks);
  console.log(
    `dispatch → acknowledgement, ${N} /balance interactions each (same run, interleaved by ${BATCH})`,
  );
  console.log(`  bare discord.js client  p50 ${ms(b.p50)}  p99 ${ms(b.p99)}  max ${ms(b.max)}`);
  console.log(`  skinbridge app          p50 ${ms(a.p50)}  p99 ${ms(a.p99)}  max ${ms(a.max)}`);
  console.log(
    `  app − bare              p50 ${ms(a.p50 - b.p50)}  p99 ${ms(a.p99 - b.p99)}  (target: p99 within 2 ms) → ${
      a.p99 - b.p99 <= 2 ? "met" : "NOT met"
    }`,
  );
  console.log(
    `  app / bare              p50 ×${(a.p50 / b.p50).toFixed(2)}  p99 ×${(a.p99 / b.p99).toFixed(2)}`,
  );

  const big = summary(renderTimes(5_000));
  const small = summary(renderTimes(25));
  console.log(`picker page render (pickerView + Discord renderer), ${RENDERS} renders each`);
  console.log(`  25-item inventory       p50 ${ms(small.p50)}  p99 ${ms(small.p99)}`);
  console.log(`  5,000-item inventory    p50 ${ms(big.p50)}  p99 ${ms(big.p99)}`);
  console.log(
    `  5,000 / 25              p50 ×${(big.p50 / small.p50).toFixed(2)}  p99 ×${(big.p99 / small.p99).toFixed(2)}`,
  );
}

await main();
