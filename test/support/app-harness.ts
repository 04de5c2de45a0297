/**
 * Builds the real app the way main.ts does (createApp over a validated Config), for tests:
 * memory or Redis store, a listener on a free port, and a notifier that records what members
 * would have been sent.
 */
import { randomUUID } from "node:crypto";
import { request } from "undici";
import { vi } from "vitest";
import { type App, type AppOverrides, createApp } from "../../src/app.ts";
import { buildSignatureHeader } from "../../src/assetpay/signature.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import type { Notice, Recipient } from "../../src/core/notifications.ts";
import type { DeliveryResult, Notifier } from "../../src/core/outbox-worker.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.ts";
import { connectRedis, type RedisClient } from "../../src/store/redis.ts";

export const TEST_SECRET = "test-api-secret-0123456789";
export const TEST_API_KEY = "ap_test_key_0123456789";
export const TEST_MERCHANT = "5b0c3a9e-2f1d-4c1b-9a55-6f2f0d5e7a11";

export interface RecordingNotifier extends Notifier {
  sent: { recipient: Recipient; notice: Notice; locale: string }[];
  /** Members whose DMs fail as closed. */
  closed: Set<string>;
  /** Every delivery tried, delivered or not. */
  attempts: Recipient[];
}

export function recordingNotifier(platform = "console"): RecordingNotifier {
  const sent: RecordingNotifier["sent"] = [];
  const closed = new Set<string>();
  const attempts: Recipient[] = [];
  return {
    platform,
    sent,
    closed,
    attempts,
    async deliver(recipient, notice, locale): Promise<DeliveryResult> {
      attempts.push(recipient);
      if (closed.has(recipient.userId)) return { ok: false, unreachable: true, reason: "closed DMs" };
      sent.push({ recipient, notice, locale });
      return { ok: true };
    },
  };
}

export function testConfig(env: Record<string, string> = {}): Config {
  const config = loadConfig({
    ASSETPAY_API_KEY: TEST_API_KEY,
    ASSETPAY_API_SECRET: TEST_SECRET,
    ASSETPAY_MERCHANT_ID: TEST_MERCHANT,
    ASSETPAY_BASE_URL: "http://127.0.0.1:9",
    HTTP_HOST: "127.0.0.1",
    SKINBRIDGE_EPHEMERAL: "true",
    LOG_LEVEL: "silent",
    RECONCILE_INTERVAL_SECONDS: "0",
    ...env,
  });
  config.http.port = 0;
  return config;
}

export interface TestApp {
  app: App;
  url: string;
  callbackUrl: string;
  notifier: RecordingNotifier;
  close(): Promise<void>;
}

export async function startTestApp(
  config: Config,
  opts: { redisUrl?: string; prefix?: string; overrides?: AppOverrides } = {},
): Promise<TestApp> {
  let redis: RedisClient | undefined;
  if (opts.redisUrl) redis = await connectRedis(opts.redisUrl);
  const app = await createApp(config, {
    outboxPollMs: 20,
    ...(redis ? { redis, redisPrefix: opts.prefix ?? `t:${randomUUID().slice(0, 8)}:` } : {}),
    ...opts.overrides,
  });
  const notifier = recordingNotifier();
  app.addNotifier(notifier);
  const { url } = await app.start();
  return {
    app,
    url,
    callbackUrl: `${url}${config.http.callbackPath}`,
    notifier,
    async close() {
      await app.stop();
      if (redis) await redis.close();
    },
  };
}

let deliverySeq = 0;

/** Posts a callback signed exactly as AssetPay signs it; returns status and parsed body. */
export async function postSignedCallback(
  url: string,
  body: unknown,
  opts: { deliveryId?: string; secret?: string; timestamp?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const raw = JSON.stringify(body);
  const header = buildSignatureHeader({
    secret: opts.secret ?? TEST_SECRET,
    deliveryId: opts.deliveryId ?? `d-${++deliverySeq}-${randomUUID().slice(0, 8)}`,
    timestamp: opts.timestamp ?? new Date().toISOString(),
    rawBody: raw,
  });
  const res = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-assetpay-signature": header },
    body: raw,
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.statusCode, body: parsed };
}

/** Waits until `check` passes (polling briefly), failing with its last error after `timeoutMs`. */
export function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5_000): Promise<T> {
  return vi.waitFor(check, { timeout: timeoutMs, interval: 15 });
}

/** The sandbox on a free loopback port with the test credentials and no artificial latency. */
export function startTestSandbox(opts: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    host: "127.0.0.1",
    apiKey: TEST_API_KEY,
    apiSecret: TEST_SECRET,
    merchantId: TEST_MERCHANT,
    createLatencyMs: 0,
    ...opts,
  });
}
