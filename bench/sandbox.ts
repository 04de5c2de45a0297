/**
 * The sandbox and the AssetPay client, each against a bare `node:http` server answering the same
 * bytes in the same run, so the numbers read as ratios rather than as machine-dependent rates:
 *
 * 1. Requests per second for `GET /client/inventory?game=730` with a valid client token: the
 *    sandbox (token check, inventory, envelope) against a server replaying one captured sandbox
 *    response, driven by the same undici Pool at a fixed concurrency.
 * 2. The client's per-call overhead: `client.inventory()` (token cache, envelope and zod checks,
 *    mapping to cents) against a raw undici request plus JSON.parse of the same payload, one call
 *    at a time, both against the bare server.
 *
 * Rounds alternate between the two sides and the median round is reported, so a burst of load
 * from something else on the machine does not land on one side only.
 *
 * Run: npx tsx bench/sandbox.ts   (BENCH_SANDBOX_REQUESTS, BENCH_SANDBOX_CALLS scale it)
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";
import { type ClientIdentity, createAssetPayClient } from "../src/assetpay/client.ts";
import { mintClientToken } from "../src/assetpay/token.ts";
import { startSandbox } from "../src/sandbox/server.ts";

const REQUESTS = Number(process.env.BENCH_SANDBOX_REQUESTS ?? 3000);
const CALLS = Number(process.env.BENCH_SANDBOX_CALLS ?? 2000);
const CONCURRENCY = 16;
const ROUNDS = 3;
const PATH = "/client/inventory?game=730";

const API_KEY = "ap_bench_key_0123456789";
const API_SECRET = "bench-secret-0123456789";
const MERCHANT_ID = "3f0e8c52-7d4b-4b8e-a1f6-9c2d5e7b0a13";
const member: ClientIdentity = {
  memberId: "bench-member",
  steamId: (76561197960265728n + 7_000_001n).toString(),
  tradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=7000001&token=BeNcH001",
};

interface Throughput {
  rps: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function median<T>(runs: T[], key: (r: T) => number): T {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  const mid = sorted[Math.floor(sorted.length / 2)];
  if (mid === undefined) throw new Error("no runs");
  return mid;
}

/** `count` GETs of PATH at CONCURRENCY over one keep-alive pool; every answer must be a 200. */
async function load(
  origin: string,
  token: string,
  count: number,
  extra: Pool.Options = {},
): Promise<Throughput> {
  const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1, ...extra });
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  const lane = async () => {
    while (issued < count) {
      issued++;
      const t0 = performance.now();
      const res = await pool.request({
        path: PATH,
        method: "GET",
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body.dump();
      if (res.statusCode !== 200) throw new Error(`unexpected status ${res.statusCode} from ${origin}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { rps: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Answers every request with the captured bytes, as cheaply as node:http allows. */
async function startBare(body: Buffer): Promise<{ origin: string; server: Server }> {
  const headers = { "content-type": "application/json; charset=utf-8", "content-length": body.length };
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Mean microseconds per call of `call`, run `count` times one after another. */
async function perCall(count: number, call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await call();
  return ((performance.now() - started) * 1000) / count;
}

const sandbox = await startSandbox({
  port: 0,
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  merchantId: MERCHANT_ID,
});
const token = mintClientToken({
  merchantId: MERCHANT_ID,
  apiSecret: API_SECRET,
  steamId: member.steamId,
  tradeUrl: member.tradeUrl,
  clientId: member.memberId,
}).token;

const capture = await fetch(`${sandbox.url}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
if (capture.status !== 200) throw new Error(`the sandbox answered ${capture.status} to the capture request`);
const payload = Buffer.from(await capture.arrayBuffer());
// undici drops a connection after one exchange when the server's `Keep-Alive: timeout` hint is
// within its 2 s threshold; then every request pays a TCP connect. Measured both ways in that case.
const keepAliveHint = Number(
  /timeout=(\d+)/.exec(capture.headers.get("keep-alive") ?? "")?.[1] ?? Number.NaN,
);
const churns = keepAliveHint <= 2;
const REUSE: Pool.Options = { keepAliveTimeoutThreshold: 0 };
const bare = await startBare(payload);

const client = createAssetPayClient({
  baseUrl: bare.origin,
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  merchantId: MERCHANT_ID,
});
const rawPool = new Pool(bare.origin, { connections: 16, keepAliveTimeout: 30_000, pipelining: 1 });
const itemCount = (await client.inventory(member, { game: "730" })).items.length;

const rawCall = async () => {
  const res = await rawPool.request({
    path: PATH,
    method: "GET",
    headers: { accept: "application/json", authorization: `Bearer ${token}` },
  });
  const data = JSON.parse(await res.body.text()) as { data: { inventory: unknown[] } };
  if (res.statusCode !== 200 || data.data.inventory.length !== itemCount) throw new Error("bad raw answer");
};
const clientCall = async () => {
  const page = await client.inventory(member, { game: "730" });
  if (page.items.length !== itemCount) throw new Error("bad client answer");
};

try {
  // Warm-up: JIT, connection pools, the sandbox's generated inventory and the token cache.
  await load(sandbox.url, token, Math.min(500, REQUESTS));
  await load(bare.origin, token, Math.min(500, REQUESTS));
  if (churns) await load(sandbox.url, token, Math.min(500, REQUESTS), REUSE);
  await perCall(Math.min(300, CALLS), rawCall);
  await perCall(Math.min(300, CALLS), clientCall);

  const sandboxRuns: Throughput[] = [];
  const reuseRuns: Throughput[] = [];
  const bareRuns: Throughput[] = [];
  const rawRuns: number[] = [];
  const clientRuns: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bareRuns.push(await load(bare.origin, token, REQUESTS));
    sandboxRuns.push(await load(sandbox.url, token, REQUESTS));
    if (churns) reuseRuns.push(await load(sandbox.url, token, REQUESTS, REUSE));
    rawRuns.push(await perCall(CALLS, rawCall));
    clientRuns.push(await perCall(CALLS, clientCall));
  }

  const b = median(bareRuns, (r) => r.rps);
  const s = median(sandboxRuns, (r) => r.rps);
  const raw = median(rawRuns, (v) => v);
  const viaClient = median(clientRuns, (v) => v);
  const kb = (payload.length / 1024).toFixed(1);
  const line = (name: string, value: string, extra = "") =>
    console.log(`  ${name.padEnd(30)} ${value.padStart(10)}  ${extra}`);
  const rate = (name: string, r: Throughput) =>
    line(name, `${r.rps.toFixed(0)} req/s`, `p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`);

  console.log(
    `GET ${PATH}: ${REQUESTS} requests × ${ROUNDS} rounds, ${CONCURRENCY} concurrent, ${kb} kB body (${itemCount} items)`,
  );
  rate("bare node:http (same bytes)", b);
  rate("sandbox", s);
  line("sandbox / bare", (s.rps / b.rps).toFixed(2));
  if (churns) {
    const r = median(reuseRuns, (run) => run.rps);
    console.log(`  (the sandbox sends Keep-Alive: timeout=${keepAliveHint}: undici reconnects per request;`);
    console.log("   with keepAliveTimeoutThreshold 0 the load generator reuses its connections:)");
    rate("sandbox, connections reused", r);
    line("sandbox reused / bare", (r.rps / b.rps).toFixed(2));
  }
  console.log(
    `client.inventory() vs raw undici request + JSON.parse, ${CALLS} sequential calls × ${ROUNDS} rounds, bare server`,
  );
  line("raw undici + JSON.parse", `${raw.toFixed(0)} µs/call`);
  line(
    "client.inventory",
    `${viaClient.toFixed(0)} µs/call`,
    `overhead ${(viaClient - raw).toFixed(0)} µs/call`,
  );
  line("client / raw", (viaClient / raw).toFixed(2));
} finally {
  await rawPool.close();
  await client.close();
  await new Promise((resolve) => bare.server.close(resolve));
  await sandbox.close();
}
