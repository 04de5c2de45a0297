/**
 * Graceful shutdown, as the container engine triggers it: SIGTERM to the process that
 * `node --import tsx src/main.ts` started. The app stops taking new connections, still
 * answers the callback it was in the middle of (using Redis to do it), finishes the DM it was
 * sending, closes Redis and exits 0.
 */
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { buildSignatureHeader } from "../../src/assetpay/signature.ts";
import type { Notice } from "../../src/core/notifications.ts";
import type { DeliveryResult, Notifier } from "../../src/core/outbox-worker.ts";
import { eventually, TEST_API_KEY, TEST_SECRET, testConfig } from "../support/app-harness.ts";
import { freePort } from "../support/redis-server.ts";
import { type MainProcess, startHealthOnlyAssetPay, startMain } from "./main-process.ts";
import { slowRequest } from "./slow-request.ts";

/** A database of its own, so the app's default `sb:` keys meet no other test file's. */
const REDIS_DB = 11;

function unknownDepositCallback(tradeId: string) {
  return {
    trade: {
      id: tradeId,
      type: "deposit",
      source: "client",
      externalId: `sb-de-${tradeId.slice(0, 8)}`,
      merchantId: "m",
      clientUserId: "c",
      clientTradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=1&token=abcdefgh",
      clientSteamID: "76561197960265729",
      status: "completed",
      game: "730",
      items: [{ id: `${tradeId}-i`, appid: 730, tradable: true, offer: { price: 12.34 } }],
      totalPrice: 12.34,
      createdAt: "2026-11-21T00:00:00.000Z",
      updatedAt: "2026-11-21T00:00:00.000Z",
    },
  };
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}

describe("main.ts on SIGTERM", () => {
  let main: MainProcess | undefined;
  let closeAssetPay: (() => Promise<void>) | undefined;
  afterEach(async () => {
    if (main && main.child.exitCode === null && main.child.signalCode === null) main.child.kill("SIGKILL");
    await closeAssetPay?.();
  });

  it("refuses new connections, still answers the callback in flight, then stops cleanly and exits 0", async () => {
    const assetpay = await startHealthOnlyAssetPay();
    closeAssetPay = assetpay.close;
    const port = await freePort();
    main = startMain({
      ASSETPAY_API_KEY: TEST_API_KEY,
      ASSETPAY_API_SECRET: TEST_SECRET,
      ASSETPAY_BASE_URL: assetpay.url,
      REDIS_URL: `${inject("redisUrl")}/${REDIS_DB}`,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(port),
      LOG_LEVEL: "info",
    });
    await main.waitForLog("skinbridge listening");

    const rawBody = JSON.stringify(unknownDepositCallback(randomUUID()));
    const callback = slowRequest(port, {
      path: "/assetpay/callback",
      headers: {
        "content-type": "application/json",
        "x-assetpay-signature": buildSignatureHeader({
          secret: TEST_SECRET,
          deliveryId: `d-${randomUUID()}`,
          timestamp: new Date().toISOString(),
          rawBody,
        }),
      },
      body: rawBody,
    });
    await callback.accepted;

    main.child.kill("SIGTERM");
    await main.waitForLog("shutting down");
    // An impatient engine repeating the signal must not cut the drain short.
    main.child.kill("SIGTERM");
    await eventually(async () => expect(await connectionRefused(port)).toBe(true));
    expect(main.child.exitCode).toBeNull();

    callback.finish();
    const answer = await callback.response;
    // Handled to the end: signature checked, trade looked up in Redis, verdict given.
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({ error: "unknown_trade" });

    expect(await main.exited).toEqual({ code: 0, signal: null });
    const messages = main.lines.map((l) => l.msg);
    // Logged only once app.stop() resolved: listener drained, worker stopped, Redis closed.
    expect(messages).toContain("stopped cleanly");
    expect(messages.filter((m) => m === "shutting down")).toHaveLength(1);
    expect(messages).not.toContain("shutdown failed");
  });
});

describe("app.stop()", () => {
  it("waits for the DM being sent to finish and acknowledges it before resolving", async () => {
    const app = await createApp(testConfig(), { outboxPollMs: 20 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let sending!: () => void;
    const started = new Promise<void>((r) => (sending = r));
    const events: string[] = [];
    const slowNotifier: Notifier = {
      platform: "console",
      async deliver(): Promise<DeliveryResult> {
        sending();
        await gate;
        events.push("delivered");
        return { ok: true };
      },
    };
    app.addNotifier(slowNotifier);
    await app.start();

    const notice: Notice = { kind: "deposit.credited", tradeId: "t-1", game: "730", amountCents: 1234 };
    await app.core.outbox.enqueue({
      key: "t-1:dm",
      recipient: { platform: "console", userId: "u-1" },
      payload: notice,
    });
    app.worker.kick();
    await started;

    const stopWorker = vi.spyOn(app.worker, "stop");
    const stopping = app.stop().then(() => events.push("stopped"));
    // Once stop has reached the worker (the listener already closed), a worker that did not wait
    // for the DM being sent would be done within a turn of the event loop: it must still be waiting.
    await vi.waitFor(() => expect(stopWorker).toHaveBeenCalled());
    await new Promise((r) => setImmediate(r));
    expect(app.http.server.listening).toBe(false);
    expect(events).toEqual([]);
    release();
    await stopping;

    expect(events).toEqual(["delivered", "stopped"]);
    expect(await app.core.outbox.depth()).toBe(0);
  });
});
