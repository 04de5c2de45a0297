// The load generator bench/callbacks.ts uses in both placements: called directly on the
// server's own thread, or run as a worker thread (the other core). Plain JS so a worker thread
// can run it without a TypeScript loader.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { Pool } from "undici";

/** Posts the signed callbacks with a fixed concurrency; resolves with throughput and latency. */
export async function runLoad(url, bodies, concurrency) {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: concurrency, pipelining: 1 });
  const latencies = [];
  let next = 0;
  const started = performance.now();
  async function lane() {
    while (next < bodies.length) {
      const b = bodies[next++];
      const t0 = performance.now();
      const res = await pool.request({
        path: u.pathname,
        method: "POST",
        headers: { "content-type": "application/json", "x-assetpay-signature": b.header },
        body: b.raw,
      });
      await res.body.dump();
      if (res.statusCode !== 200) throw new Error(`unexpected status ${res.statusCode}`);
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { rps: bodies.length / elapsed, p50: at(50), p99: at(99) };
}

if (!isMainThread && workerData?.url) {
  const { url, bodies, concurrency } = workerData;
  parentPort.postMessage(await runLoad(url, bodies, concurrency));
}
