/**
 * Killing the process between receiving a callback and answering it loses nothing: AssetPay's
 * retry of the same delivery (or the reconciler) completes the effect, exactly once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { selectedTotal } from "../../src/core/picker.ts";
import type { Sandbox } from "../../src/sandbox/server.ts";
import {
  eventually,
  startTestApp,
  startTestSandbox,
  TEST_API_KEY,
  TEST_MERCHANT,
  TEST_SECRET,
  type TestApp,
  testConfig,
} from "../support/app-harness.ts";
import { freePort } from "../support/redis-server.ts";

const prefix = `t:${randomUUID().slice(0, 8)}:`;
let sandbox: Sandbox;
let driver: TestApp;
let port: number;

function spawnApp(env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/app-process.ts"], {
    env: {
      ...process.env,
      ASSETPAY_API_KEY: TEST_API_KEY,
      ASSETPAY_API_SECRET: TEST_SECRET,
      ASSETPAY_MERCHANT_ID: TEST_MERCHANT,
      ASSETPAY_BASE_URL: sandbox.url,
      REDIS_URL: inject("redisUrl"),
      HTTP_HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      RECONCILE_INTERVAL_SECONDS: "0",
      TEST_HTTP_PORT: String(port),
      TEST_REDIS_PREFIX: prefix,
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`app exited early (${code})`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
  });
}

beforeAll(async () => {
  port = await freePort();
  sandbox = await startTestSandbox({
    callbackRetry: { attempts: 9, baseDelayMs: 100 },
  });
  // The test drives flows through a second instance on the same Redis, as a second replica would.
  driver = await startTestApp(testConfig({ ASSETPAY_BASE_URL: sandbox.url }), {
    redisUrl: inject("redisUrl"),
    prefix,
  });
});

afterAll(async () => {
  await driver?.close();
  await sandbox?.close();
});

describe("a crash between applying a callback and answering it", () => {
  it("is completed once by AssetPay's retry of the same delivery", async () => {
    const doomed = await spawnApp({ CRASH_AFTER: "credit" });
    expect(await sandbox.setCallbackUrl(`http://127.0.0.1:${port}/assetpay/callback`)).toBe(true);

    const core = driver.app.core;
    const memberId = `console:${randomUUID().slice(0, 8)}`;
    await core.accounts.link(
      memberId,
      `https://steamcommunity.com/tradeoffer/new/?partner=${40_000 + Math.floor(Math.random() * 1e6)}&token=AbCdEf12`,
    );
    let s = await core.trading.openDeposit(memberId, { game: "252490", pageSize: 8 });
    const index = s.entries.findIndex((e) => e.selectable);
    s = await core.trading.act(memberId, s.id, { kind: "toggle", index });
    const total = selectedTotal(s);
    const { trade } = await core.trading.confirm(memberId, s.id);

    const died = once(doomed, "exit");
    // Rust: active after a few seconds, accepted and completed a minute later.
    const advancing = sandbox.clock.advance(120);
    const [, signal] = await died;
    expect(signal).toBe("SIGKILL");
    // The credit committed before the crash; the callback was never answered.
    expect((await core.ledger.balance(memberId)).availableCents).toBe(total);

    const revived = await spawnApp();
    try {
      await advancing;
      await sandbox.idle();
      await eventually(async () => {
        const record = await core.records.byTradeId(trade!.id);
        expect(record?.status).toBe("completed");
      }, 10_000);
      // The same delivery (same id) was retried until the revived app answered it.
      const delivery = sandbox.deliveries.find(
        (d) => d.tradeId === trade!.id && d.tradeStatus === "completed",
      );
      expect(delivery?.attempts.length).toBeGreaterThanOrEqual(2);
      expect(delivery?.outcome).toBe("delivered");
      expect(await core.ledger.balance(memberId)).toEqual({ availableCents: total, heldCents: 0 });
      const credits = (await core.ledger.journal(memberId)).filter((e) => e.op === "credit");
      expect(credits).toHaveLength(1);
      // The member still hears about it: the retried delivery enqueued the notice, so its
      // dedupe key is taken (a second enqueue under it adds nothing).
      const probe = await core.outbox.enqueue({
        key: `n:${trade!.id}:completed`,
        recipient: { platform: "console", userId: memberId.slice("console:".length) },
        payload: {},
      });
      expect(probe.enqueued).toBe(false);
    } finally {
      revived.kill("SIGTERM");
      await once(revived, "exit");
    }
  }, 60_000);
});
