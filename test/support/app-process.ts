/**
 * The app in a child process, as `npm start` runs it but configured from the environment of
 * the test that spawns it. `CRASH_AFTER=credit` kills the process (SIGKILL) right after the
 * first ledger credit commits: after a callback was received and applied, before it is
 * answered — the worst moment to die.
 */
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { MoveInput } from "../../src/core/ledger.ts";

const config = loadConfig(process.env);
config.http.port = Number(process.env.TEST_HTTP_PORT);
const app = await createApp(config, {
  redisPrefix: process.env.TEST_REDIS_PREFIX ?? "sb:",
  outboxPollMs: 20,
});
if (process.env.CRASH_AFTER === "credit") {
  const ledger = app.core.ledger;
  const credit = ledger.credit.bind(ledger);
  ledger.credit = async (input: MoveInput) => {
    const result = await credit(input);
    process.kill(process.pid, "SIGKILL");
    return result;
  };
}
await app.start();
process.stdout.write("ready\n");
process.on("SIGTERM", async () => {
  await app.stop();
  process.exit(0);
});
