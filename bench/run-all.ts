/**
 * `npm run bench`: every benchmark in turn. Each prints ratios against a baseline it measures
 * in the same process, so the numbers compare across machines better than absolute times.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

// callbacks-ab.ts compares this checkout with another one, which only its caller can name.
const NEEDS_ARGUMENTS = new Set(["run-all.ts", "callbacks-ab.ts"]);
const benches = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && !NEEDS_ARGUMENTS.has(f))
  .sort();
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== bench/${file}\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", `bench/${file}`], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
