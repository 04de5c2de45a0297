/**
 * The app in a child process, as `npm start` runs it but configured from the environment of
 * the test that spawns it. `CRASH_AFTER=credit` kills the process (SIGKILL) right after the
 * first ledger credit commits: after a callback was received and applied, before it is
 * answered — the worst moment to die.
 */
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";

const config = loadConfig(process.env);
config.http.port = Number(process.env.TEST_HTTP_PORT);
const app = await createApp(config, {
  redisPrefix: process.env.TEST_REDIS_PREFIX ?? "sb:",
  outboxPollMs: 20,
});
if (process.env.CRASH_AFTER === "credit") {
  // Settlement commits through the trade book: die right after the first commit that credits.
  const book = app.book;
  const commit = book.commit.bind(book);
  book.commit = async (c) => {
    const result = await commit(c);
    if (result.status === "committed" && (c.moves ?? []).some((m) => m.op === "credit"))
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
