/**
 * Start-up cost of the shipped app: time from spawn to the first 200 on `/readyz`, and resident
 * memory once idle, for the built app (`node dist/src/main.js`, as `npm start` and the image run
 * it) against a bare process that imports discord.js and grammY and answers HTTP (the least any
 * such bot loads), alternating in the same run. The app runs with in-memory balances and both
 * platforms configured against local fakes started here (ready means connected to both), and
 * with Telegram only (discord.js is then never loaded); the sources through tsx (`npm run dev`,
 * how production used to run) are measured too, for comparison.
 *
 * Run: npx tsx bench/startup.ts   (builds dist/ first)
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { startFakeDiscord } from "../test/fakes/discord/index.ts";
import { startFakeTelegram } from "../test/fakes/telegram/index.ts";

const REPO = join(import.meta.dirname, "..");
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 5);
const IDLE_MS = 2_000;

const APP_ENV = {
  ASSETPAY_API_KEY: "ap_bench_key",
  ASSETPAY_API_SECRET: "bench-secret-0123456789",
  ASSETPAY_BASE_URL: "http://127.0.0.1:9",
  SKINBRIDGE_EPHEMERAL: "true",
  RECONCILE_INTERVAL_SECONDS: "0",
  LOG_LEVEL: "silent",
  HTTP_HOST: "127.0.0.1",
};

interface Subject {
  name: string;
  args: string[];
  path: string;
  platforms: ("telegram" | "discord")[];
}

const BUILT = ["--enable-source-maps", "dist/src/main.js"];
const SUBJECTS: Subject[] = [
  { name: "bare discord.js + grammY", args: ["bench/support/bare-bot.mjs"], path: "/", platforms: [] },
  { name: "built app (npm start)", args: BUILT, path: "/readyz", platforms: ["telegram", "discord"] },
  { name: "built app, Telegram only", args: BUILT, path: "/readyz", platforms: ["telegram"] },
  {
    name: "sources through tsx",
    args: ["--import", "tsx", "src/main.ts"],
    path: "/readyz",
    platforms: ["telegram", "discord"],
  },
];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function answered(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** The platforms' settings for a subject, pointing at the fakes this run started. */
function platformEnv(subject: Subject): Record<string, string> {
  const env: Record<string, string> = {};
  if (subject.platforms.includes("telegram")) {
    env.TELEGRAM_BOT_TOKEN = telegram.token;
    env.TELEGRAM_API_ROOT = telegram.apiRoot;
  }
  if (subject.platforms.includes("discord")) {
    env.DISCORD_TOKEN = discord.token;
    env.DISCORD_API_BASE = discord.apiBase;
  }
  return env;
}

async function measure(subject: Subject): Promise<{ readyMs: number; rssMb: number }> {
  const port = await freePort();
  const env = { ...APP_ENV, ...platformEnv(subject), HTTP_PORT: String(port) };
  const started = performance.now();
  const child = spawn(process.execPath, subject.args, {
    cwd: REPO,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}${subject.path}`;
  while (!(await answered(url))) {
    if (child.exitCode !== null) throw new Error(`${subject.name} exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const readyMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const rss = rssMb(child);
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  return { readyMs, rssMb: rss };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const build = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: REPO, stdio: "inherit" });
if (build.status !== 0) process.exit(1);
const telegram = await startFakeTelegram();
const discord = await startFakeDiscord();

const samples = new Map(SUBJECTS.map((s) => [s.name, { ready: [] as number[], rss: [] as number[] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const subject of SUBJECTS) {
    const r = await measure(subject);
    samples.get(subject.name)!.ready.push(r.readyMs);
    samples.get(subject.name)!.rss.push(r.rssMb);
  }
}

const base = samples.get(SUBJECTS[0]!.name)!;
const baseReady = median(base.ready);
const baseRss = median(base.rss);
process.stdout.write(`start-to-ready and idle RSS, median of ${ROUNDS} alternating rounds:\n`);
for (const subject of SUBJECTS) {
  const s = samples.get(subject.name)!;
  const ready = median(s.ready);
  const rss = median(s.rss);
  process.stdout.write(
    `  ${subject.name.padEnd(26)} ready ${ready.toFixed(0).padStart(5)} ms (×${(ready / baseReady).toFixed(2)})` +
      `   RSS ${rss.toFixed(1).padStart(6)} MB (×${(rss / baseRss).toFixed(2)})\n`,
  );
}
await telegram.close();
await discord.close();
