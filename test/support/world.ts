/**
 * A whole world for journey tests: the AssetPay sandbox over HTTP, the real app (memory or
 * Redis store) pointed at it, and the sandbox's callbacks pointed at the app's listener.
 */
import { randomUUID } from "node:crypto";
import type { Core } from "../../src/app.ts";
import type { Config } from "../../src/config.ts";
import type { Notice } from "../../src/core/notifications.ts";
import type { Sandbox } from "../../src/sandbox/server.ts";
import { eventually, startTestApp, startTestSandbox, type TestApp, testConfig } from "./app-harness.ts";

export interface World {
  sandbox: Sandbox;
  app: TestApp;
  core: Core;
  config: Config;
  /** A fresh console member id. */
  member(): string;
  /** A trade URL for a fresh Steam account; `token` picks a sandbox magic behaviour. */
  tradeUrl(token?: string): string;
  /** Advances the sandbox's clock; every due transition runs and its callback is answered. */
  advance(seconds: number): Promise<void>;
  /** Waits for a DM of `kind` about `tradeId` to reach the member. */
  notice(tradeId: string, kind: Notice["kind"], timeoutMs?: number): Promise<Notice>;
  close(): Promise<void>;
}

let partnerSeq = 100_000 + Math.floor(Math.random() * 1_000_000);

export async function startWorld(
  opts: { redisUrl?: string; env?: Record<string, string> } = {},
): Promise<World> {
  const sandbox = await startTestSandbox({
    // Retries a millisecond apart: a callback the app refuses (a trade it never started) is
    // retried as AssetPay would, without waiting out AssetPay's real backoff.
    callbackRetry: { attempts: 6, baseDelayMs: 1 },
    approvalTimeoutMs: 2_000,
  });
  const config = testConfig({ ASSETPAY_BASE_URL: sandbox.url, ...opts.env });
  const app = await startTestApp(config, opts.redisUrl ? { redisUrl: opts.redisUrl } : {});
  const saved = await sandbox.setCallbackUrl(app.callbackUrl);
  if (!saved) throw new Error("the sandbox could not save the app's callback URL");
  return {
    sandbox,
    app,
    core: app.app.core,
    config,
    member: () => `console:${randomUUID().slice(0, 12)}`,
    tradeUrl: (token = "AbCdEf12") =>
      `https://steamcommunity.com/tradeoffer/new/?partner=${partnerSeq++}&token=${token}`,
    async advance(seconds) {
      await sandbox.clock.advance(seconds);
      await sandbox.idle();
    },
    notice(tradeId, kind, timeoutMs = 5_000) {
      return eventually(() => {
        const hit = app.notifier.sent.find((s) => s.notice.tradeId === tradeId && s.notice.kind === kind);
        if (!hit)
          throw new Error(
            `no ${kind} notice for ${tradeId}; got ${app.notifier.sent.map((s) => s.notice.kind).join(", ")}`,
          );
        return hit.notice;
      }, timeoutMs);
    },
    async close() {
      await app.close();
      await sandbox.close();
    },
  };
}
