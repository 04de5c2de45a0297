/**
 * Signed AssetPay callbacks per second through the real listener (memory store and Redis), as
 * a ratio to a bare `node:http` server answering the same requests, measured in the same run
 * with the same load generator; plus p50/p99 latency. Each callback completes a distinct
 * deposit: signature check, validation, lock, ledger credit, record write, notice enqueue.
 * The outbox worker is paused while measuring: notices are persisted by the callback (that is
 * counted) and delivered later at the platforms' own pace (Telegram allows ~30 messages/s), so
 * delivering thousands a second in the same process would measure something that never happens.
 *
 * Two placements of the load generator, each applied to every server alike: on the server's own
 * thread (they share one core: a heavier server is penalised twice), and on a worker thread
 * (the other core, as a separate load tool would be; bare node:http may then be bound by the
 * generator rather than by itself).
 *
 * Run: npx tsx bench/callbacks.ts   (targets: ≥ 0.4 of bare with memory, ≥ 0.25 with Redis)
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";
import { buildSignatureHeader } from "../src/assetpay/signature.ts";
import { startTestApp, TEST_SECRET, type TestApp, testConfig } from "../test/support/app-harness.ts";
import { depositCallback, startedDeposit } from "../test/support/deposit-fixtures.ts";
import { startRedisServer } from "../test/support/redis-server.ts";
import { runLoad } from "./support/load-generator.mjs";

const N = Number(process.env.BENCH_CALLBACKS ?? 2000);
const CONCURRENCY = 32;

interface Result {
  rps: number;
  p50: number;
  p99: number;
}

type Body = { raw: string; header: string };
let placement: "same thread" | "worker thread" = "same thread";

function load(url: string, bodies: Body[]): Promise<Result> {
  return placement === "same thread" ? loadHere(url, bodies) : loadElsewhere(url, bodies);
}

function loadElsewhere(url: string, bodies: Body[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./support/load-generator.mjs", import.meta.url), {
      workerData: { url, bodies, concurrency: CONCURRENCY },
    });
    worker.once("message", (r: Result) => {
      void worker.terminate();
      resolve(r);
    });
    worker.once("error", reject);
  });
}

function loadHere(url: string, bodies: Body[]): Promise<Result> {
  return runLoad(url, bodies, CONCURRENCY);
}

async function prepare(app: TestApp, count: number) {
  const bodies: { raw: string; header: string }[] = [];
  const member = `console:bench-${randomUUID().slice(0, 8)}`;
  for (let i = 0; i < count; i++) {
    const deposit = await startedDeposit(app.app.core, member, 1075);
    const raw = JSON.stringify(depositCallback(deposit, "completed", 1075));
    const header = buildSignatureHeader({
      secret: TEST_SECRET,
      deliveryId: randomUUID(),
      timestamp: new Date().toISOString(),
      rawBody: raw,
    });
    bodies.push({ raw, header });
  }
  return { bodies, member };
}

async function bare(bodies: { raw: string; header: string }[]): Promise<Result> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const result = await load(`http://127.0.0.1:${port}/assetpay/callback`, bodies);
  await new Promise((r) => server.close(r));
  return result;
}

async function through(app: TestApp, count: number): Promise<Result> {
  const { bodies, member } = await prepare(app, count);
  const result = await load(app.callbackUrl, bodies);
  const balance = await app.app.core.ledger.balance(member);
  if (balance.availableCents !== count * 1075) throw new Error("benchmark run did not credit every deposit");
  return result;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** A server's runs: each round's ratio is to the bare server measured right before it. */
function row(name: string, runs: Result[], bareRuns: Result[]): string {
  const ratios = runs.map((r, i) => r.rps / (bareRuns[i] as Result).rps);
  const rps = median(runs.map((r) => r.rps));
  const spread = ROUNDS > 1 ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : "";
  return `${name.padEnd(22)} ${rps.toFixed(0).padStart(7)} req/s  ratio ${median(ratios).toFixed(2)}${spread}  p50 ${median(runs.map((r) => r.p50)).toFixed(2)} ms  p99 ${median(runs.map((r) => r.p99)).toFixed(2)} ms`;
}

const redis = await startRedisServer();
try {
  const memoryApp = await startTestApp(testConfig());
  const redisApp = await startTestApp(testConfig(), { redisUrl: redis.url });
  await memoryApp.app.worker.stop();
  await redisApp.app.worker.stop();
  // Warm up both paths (JIT, connections) before measuring.
  await through(memoryApp, 200);
  await through(redisApp, 200);
  for (const where of ["same thread", "worker thread"] as const) {
    placement = where;
    // Rounds of bare, memory, Redis: a ratio compares runs seconds apart, not minutes, so a
    // change in the machine's load between them weighs less; the median round is reported.
    const runs = { bare: [] as Result[], memory: [] as Result[], redis: [] as Result[] };
    const sample = (await prepare(memoryApp, N)).bodies;
    for (let round = 0; round < ROUNDS; round++) {
      runs.bare.push(await bare(sample));
      runs.memory.push(await through(memoryApp, N));
      runs.redis.push(await through(redisApp, N));
    }
    console.log(
      `signed callbacks, ${N} per run, ${CONCURRENCY} concurrent, load generator on the ${where}, median of ${ROUNDS} rounds (range)`,
    );
    console.log(row("bare node:http", runs.bare, runs.bare));
    console.log(row("listener + memory", runs.memory, runs.bare));
    console.log(row("listener + Redis", runs.redis, runs.bare));
  }
  await memoryApp.close();
  await redisApp.close();
} finally {
  await redis.stop();
}
