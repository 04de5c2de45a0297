/**
 * Dashboard pages on a big community: the members list and a member's journal with 100,000
 * members and 1,000,000 journal entries in Redis, against the same pages on an empty store,
 * measured in the same run through the real listener (session cookie, moderator check, HTML).
 * The pages page on Redis (SSCAN, LRANGE), so the ratio should stay small however big it gets.
 *
 * Seeding writes the ledger's own Redis layout (`members`, `bal:`, `jrnl:`, `totals`) with
 * pipelined commands: 99,999 members with 9 entries each and one with 100,009 entries.
 *
 * Run: npx tsx bench/dashboard.ts   (BENCH_MEMBERS, BENCH_ROUNDS to change the size)
 */
import { performance } from "node:perf_hooks";
import { request } from "undici";
import type { App } from "../src/app.ts";
import { connectRedis, type RedisClient } from "../src/store/redis.ts";
import { startTestApp, testConfig } from "../test/support/app-harness.ts";
import { startRedisServer } from "../test/support/redis-server.ts";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const ENTRIES = MEMBERS * 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const WHALE = "telegram:1";
const MODERATOR = "console:bench";

function entry(memberId: string, id: number, at: string): string {
  return JSON.stringify({
    key: `bench:${memberId}:${id}`,
    memberId,
    op: "credit",
    availableDeltaCents: 125,
    heldDeltaCents: 0,
    reason: "deposit",
    tradeId: `t-${memberId}-${id}`,
    at,
  });
}

async function seed(client: RedisClient, prefix: string): Promise<void> {
  const at = new Date().toISOString();
  const batch = 500;
  const perMember = 9;
  const whaleEntries = ENTRIES - (MEMBERS - 1) * perMember;
  let total = 0;
  for (let from = 1; from <= MEMBERS; from += batch) {
    const pipe = client.multi();
    for (let n = from; n < Math.min(from + batch, MEMBERS + 1); n++) {
      const memberId = `telegram:${n}`;
      const count = memberId === WHALE ? whaleEntries : perMember;
      for (let chunk = 0; chunk < count; chunk += 1000) {
        const rows: string[] = [];
        for (let id = chunk + 1; id <= Math.min(count, chunk + 1000); id++)
          rows.push(entry(memberId, id, at));
        pipe.rPush(`${prefix}jrnl:${memberId}`, rows);
      }
      pipe.hSet(`${prefix}bal:${memberId}`, { a: String(count * 125), h: "0" });
      pipe.sAdd(`${prefix}members`, memberId);
      total += count;
    }
    await pipe.execAsPipeline();
  }
  await client.hSet(`${prefix}totals`, { a: String(total * 125), h: "0" });
}

async function signedIn(app: App): Promise<string> {
  await app.core.dashboard.moderators.vouch(MODERATOR);
  return `sb_dashboard=${app.core.dashboard.sessions.issue(MODERATOR).cookie}`;
}

async function time(
  url: string,
  cookie: string,
  mustShow?: string,
): Promise<{ p50: number; p99: number; bytes: number }> {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ROUNDS + 10; i++) {
    const started = performance.now();
    const res = await request(url, { headers: { cookie } });
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    if (mustShow && !body.includes(mustShow)) throw new Error(`${url} does not show ${mustShow}`);
    if (i >= 10) samples.push(performance.now() - started);
    bytes = body.length;
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), bytes };
}

const redis = await startRedisServer();
const client = await connectRedis(redis.url);
const config = testConfig({ SOLVENCY_SAMPLE_MINUTES: "0" });
const big = await startTestApp(config, { redisUrl: redis.url, prefix: "big:" });
const empty = await startTestApp(config, { redisUrl: redis.url, prefix: "empty:" });
try {
  const seeding = performance.now();
  await seed(client, "big:");
  const seconds = ((performance.now() - seeding) / 1000).toFixed(1);
  console.log(
    `seeded ${MEMBERS.toLocaleString("en")} members, ${ENTRIES.toLocaleString("en")} entries in ${seconds} s`,
  );

  const bigCookie = await signedIn(big.app);
  const emptyCookie = await signedIn(empty.app);
  const deep = Math.floor((ENTRIES - (MEMBERS - 1) * 9) / 2);
  const whale = encodeURIComponent(WHALE);
  const pages: [string, string, string][] = [
    ["members, first page", "/dashboard/members", 'id="members"'],
    ["members, a later page", "/dashboard/members?cursor=4096", 'id="members"'],
    ["member search by id", `/dashboard/members?q=${whale}`, `>${WHALE}</a>`],
    ["journal, newest page", `/dashboard/member?id=${whale}`, 'id="journal"'],
    [
      "journal, page deep in 100k entries",
      `/dashboard/member?id=${whale}&before=${deep}`,
      `<td>${deep - 1}</td>`,
    ],
  ];
  // Warm both apps up (JIT, connections) before anything is measured.
  await time(`${empty.url}/dashboard/members`, emptyCookie);
  for (const [, path, shows] of pages) await time(`${big.url}${path}`, bigCookie, shows);
  const baseline = await time(`${empty.url}/dashboard/members`, emptyCookie);
  console.log(
    `baseline: empty members page p50 ${baseline.p50.toFixed(2)} ms, p99 ${baseline.p99.toFixed(2)} ms (${baseline.bytes} bytes)`,
  );
  for (const [name, path, shows] of pages) {
    const r = await time(`${big.url}${path}`, bigCookie, shows);
    console.log(
      `${name.padEnd(36)} p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms  ` +
        `${String(r.bytes).padStart(6)} bytes  ratio to empty p50 ${(r.p50 / baseline.p50).toFixed(2)}`,
    );
  }
} finally {
  await big.close();
  await empty.close();
  await client.close();
  await redis.stop();
}
