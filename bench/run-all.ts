/**
 * `npm run bench`: every benchmark in turn. Each prints ratios against a baseline it measures
 * in the same process, so the numbers compare across machines better than absolute times.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const benches = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && f !== "run-all.ts")
  .sort();
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== bench/${file}\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", `bench/${file}`], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
