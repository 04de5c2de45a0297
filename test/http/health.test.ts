/**
 * Liveness and readiness: ready means the store and every configured chat platform connected;
 * AssetPay's health is reported beside it, asked at most once per 30 s whatever the probe rate
 * (an injected clock moves time), and never makes the bot unready. Outages are warned about on
 * the transition and then every 30 s, not once per reconnect attempt.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createHealth } from "../../src/http/health.ts";
import { createAssetPayHealth } from "../../src/http/health-assetpay.ts";
import { createLogger } from "../../src/log.ts";
import { createDiscordPlatform } from "../../src/platforms/discord/index.ts";
import { createTelegramPlatform } from "../../src/platforms/telegram/index.ts";
import { startFakeDiscord } from "../fakes/discord/index.ts";
import { startFakeTelegram } from "../fakes/telegram/index.ts";
import { eventually, startTestApp, type TestApp, testConfig } from "../support/app-harness.ts";
import { startRedisServer } from "../support/redis-server.ts";

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n")) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "info", destination, format: "json" }) };
}

/** A stand-in AssetPay `/health` that counts its calls and answers `status`. */
async function fakeAssetPayHealth(status = 200) {
  const state = { calls: 0, status };
  const server: Server = createServer((_req, res) => {
    state.calls++;
    res.writeHead(state.status, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("AssetPay's health", () => {
  it("is asked at most once per 30 s, however many probes come", async () => {
    const upstream = await fakeAssetPayHealth();
    let now = 1_000_000;
    const assetpay = createAssetPayHealth({ baseUrl: upstream.url, now: () => now });
    const results = await Promise.all(Array.from({ length: 50 }, () => assetpay.check()));
    for (let i = 0; i < 50; i++) await assetpay.check();
    expect(results.every((r) => r.status === "ok")).toBe(true);
    expect(upstream.state.calls).toBe(1);
    now += 29_999;
    await assetpay.check();
    expect(upstream.state.calls).toBe(1);
    now += 1;
    await assetpay.check();
    expect(upstream.state.calls).toBe(2);
  });

  it("failing is reported but does not make the bot unready", async () => {
    const upstream = await fakeAssetPayHealth(503);
    const t = await startTestApp(testConfig({ ASSETPAY_BASE_URL: upstream.url }));
    cleanups.push(() => t.close());
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ready",
      checks: { store: "up" },
      assetpay: "status 503",
    });
    expect((await fetch(`${t.url}/livez`)).status).toBe(200);
  });
});

describe("outage warnings", () => {
  it("warn on the transition, again every 30 s while down, and say when it is back", () => {
    const { lines, logger } = captureLogs();
    let now = 0;
    const health = createHealth({ logger, now: () => now });
    const redis = health.component("store", { up: true });
    redis.down("Redis is unreachable (Socket closed unexpectedly) — check Redis");
    redis.down("Redis is unreachable (ECONNREFUSED) — check Redis");
    redis.down("Redis is unreachable (ECONNREFUSED) — check Redis");
    const warnings = () => lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings()).toEqual(["Redis is unreachable (Socket closed unexpectedly) — check Redis"]);
    now = 29_000;
    health.warnOutages();
    expect(warnings()).toHaveLength(1);
    now = 30_000;
    health.warnOutages();
    now = 45_000;
    health.warnOutages();
    now = 60_000;
    health.warnOutages();
    expect(warnings()).toEqual([
      "Redis is unreachable (Socket closed unexpectedly) — check Redis",
      "Redis is unreachable (ECONNREFUSED) — check Redis (for 30 s)",
      "Redis is unreachable (ECONNREFUSED) — check Redis (for 60 s)",
    ]);
    now = 61_000;
    redis.up();
    expect(lines.at(-1)).toMatchObject({ level: 30, msg: "store is back", downSeconds: 61 });
  });
});

describe("readiness follows Redis", () => {
  it("not ready, with one warning naming the fix, once Redis goes away", async () => {
    const server = await startRedisServer();
    const { lines, logger } = captureLogs();
    const t = await startTestApp(testConfig({ REDIS_URL: server.url, SKINBRIDGE_EPHEMERAL: "" }), {
      overrides: { logger },
    });
    cleanups.push(() => server.stop());
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    await server.stop();
    await eventually(async () => {
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { store: "down" } });
    }, 15_000);
    const warnings = lines.filter((l) => l.level === 40 && l.component === "store");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/^Redis is unreachable \(.+\); .+ — check Redis and REDIS_URL$/);

    // Stopping does not wait for Redis to come back: what it would have finished is durable.
    await t.close();
    expect(lines.some((l) => l.level === 40 && /^Redis is unreachable; stopping/.test(String(l.msg)))).toBe(
      true,
    );
  }, 30_000);
});

describe("readiness follows the chat platforms", () => {
  let t: TestApp;

  it("Telegram: ready while polling, not ready once the Bot API goes away", async () => {
    const fake = await startFakeTelegram();
    t = await startTestApp(testConfig({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot }));
    const platform = createTelegramPlatform(t.app, t.app.core.config.telegram!, { pollTimeoutSeconds: 1 });
    cleanups.push(async () => {
      await platform.stop();
      await t.close();
    });
    await platform.start();
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { store: "up", telegram: "up" } });

    await fake.close();
    await eventually(async () => {
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "not_ready", checks: { telegram: "down" } });
    }, 15_000);
  }, 30_000);

  it("Discord: ready once the gateway is connected, not ready once it drops", async () => {
    const fake = await startFakeDiscord();
    t = await startTestApp(
      testConfig({
        DISCORD_TOKEN: fake.token,
        DISCORD_API_BASE: fake.apiBase,
        DISCORD_APPLICATION_ID: fake.applicationId,
      }),
    );
    const platform = createDiscordPlatform(t.app, t.app.core.config.discord!, { registerCommands: false });
    cleanups.push(async () => {
      await platform.stop();
      await t.close();
    });
    expect((await fetch(`${t.url}/readyz`)).status).toBe(503);
    await platform.start();
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { store: "up", discord: "up" } });

    await fake.close();
    await eventually(async () => {
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { discord: "down" } });
    }, 15_000);
  }, 30_000);
});
