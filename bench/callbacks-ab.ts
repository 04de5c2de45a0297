/**
 * The callback path of two checkouts of this repository, side by side in one process: each gets
 * its own app (memory store, or Redis with REDIS_URL), and batches of signed `completed`
 * callbacks go to one then the other, alternating, so whatever else the machine is doing weighs
 * on both alike. Prints the main thread's CPU time per callback (the load generator shares the
 * thread, as in bench/callbacks.ts's first placement) and the ratio of the second to the first.
 *
 * bench/callbacks.ts compares each app with a bare node:http server measured in separate runs,
 * which on a shared 2-core machine swings by ±30% between runs; this is the steadier way to ask
 * "did a change make callbacks slower?".
 *
 * Run: npx tsx bench/callbacks-ab.ts <baseline checkout> [<checkout>, default: this one]
 *   e.g. git worktree add /tmp/before <rev> && (cd /tmp/before && npm ci) && npx tsx bench/callbacks-ab.ts /tmp/before
 * Env: REDIS_URL (Redis store instead of memory), BENCH_BATCH (250), BENCH_ROUNDS (24).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { runLoad } from "./support/load-generator.mjs";

const [baseline, candidate = resolve(import.meta.dirname, "..")] = process.argv.slice(2);
if (!baseline) {
  console.error("usage: npx tsx bench/callbacks-ab.ts <baseline checkout> [<checkout>]");
  process.exit(64);
}
const BATCH = Number(process.env.BENCH_BATCH ?? 250);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 24);
const CONCURRENCY = 32;

/** This thread's CPU time in ms (utime + stime of the main thread, 10 ms ticks). */
function threadCpuMs(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Side {
  name: string;
  callbackUrl: string;
  prepare(n: number): Promise<{ raw: string; header: string }[]>;
  close(): Promise<void>;
  cpuMs: number;
  perBatch: number[];
}

/** Loads a checkout's own harness and fixtures (its code, its schemas), starts its app. */
async function open(name: string, root: string): Promise<Side> {
  const harness = await import(`${root}/test/support/app-harness.ts`);
  const fixtures = await import(`${root}/test/support/deposit-fixtures.ts`);
  const signature = await import(`${root}/src/assetpay/signature.ts`);
  const test = await harness.startTestApp(
    harness.testConfig(),
    process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {},
  );
  // Notices are persisted by the callback and delivered later at the platforms' pace.
  await test.app.worker.stop();
  return {
    name,
    callbackUrl: test.callbackUrl,
    async prepare(n) {
      const member = `console:ab-${randomUUID().slice(0, 8)}`;
      const bodies = [];
      for (let i = 0; i < n; i++) {
        const deposit = await fixtures.startedDeposit(test.app.core, member, 1075);
        const raw = JSON.stringify(fixtures.depositCallback(deposit, "completed", 1075));
        const header = signature.buildSignatureHeader({
          secret: harness.TEST_SECRET,
          deliveryId: randomUUID(),
          timestamp: new Date().toISOString(),
          rawBody: raw,
        });
        bodies.push({ raw, header });
      }
      return bodies;
    },
    close: () => test.close(),
    cpuMs: 0,
    perBatch: [],
  };
}

const sides = [await open("baseline", resolve(baseline)), await open("candidate", resolve(candidate))];
for (const side of sides) await runLoad(side.callbackUrl, await side.prepare(300), CONCURRENCY);
for (let round = 0; round < ROUNDS; round++) {
  for (const side of round % 2 ? [...sides].reverse() : sides) {
    const bodies = await side.prepare(BATCH);
    const before = threadCpuMs();
    await runLoad(side.callbackUrl, bodies, CONCURRENCY);
    const used = threadCpuMs() - before;
    side.cpuMs += used;
    side.perBatch.push(used / BATCH);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const [base, cand] = sides as [Side, Side];
console.log(
  `signed callbacks, ${ROUNDS} alternating batches of ${BATCH}, ${CONCURRENCY} concurrent, ${process.env.REDIS_URL ? "Redis" : "memory"} store`,
);
for (const side of sides)
  console.log(
    `${side.name.padEnd(10)} CPU per callback: mean ${((side.cpuMs * 1000) / (ROUNDS * BATCH)).toFixed(0)} µs, median batch ${(median(side.perBatch) * 1000).toFixed(0)} µs`,
  );
console.log(
  `candidate / baseline: mean ${(cand.cpuMs / base.cpuMs).toFixed(2)}, median ${(median(cand.perBatch) / median(base.perBatch)).toFixed(2)} (above 1: the candidate costs more per callback)`,
);
for (const side of sides) await side.close();
