/** How a sandbox instance is configured: its options, their defaults, and the config they make. */
import { dollarsToCents } from "../base/money.ts";
import type { RetryPolicy } from "./callbacks/retry.ts";
import type { SandboxConfig } from "./context.ts";
import type { SandboxLogger } from "./logger.ts";
import type { Sleep } from "./sleep.ts";

export const SANDBOX_DEFAULTS = {
  port: 4010,
  apiKey: "ap_sandbox_key",
  apiSecret: "sandbox-secret",
  merchantId: "6f1c2a4e-8b3d-4f5a-9c7e-2d1b0a9e8f70",
  approvalTimeoutMs: 10_000,
  callbackRetry: { attempts: 6, baseDelayMs: 1_000 },
  deliveryTimeoutMs: 15_000,
  pingTimeoutMs: 8_000,
  createLatencyMs: 20,
  merchantBalance: 100_000,
  seed: "skinbridge",
} as const;

export interface SandboxOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  host?: string;
  apiKey?: string;
  apiSecret?: string;
  merchantId?: string;
  /** Set without the URL-test ping (use setCallbackUrl to ping). */
  callbackUrl?: string;
  /** Adds `s1=` signed with this secret, as during a secret rotation. */
  previousSecret?: string;
  /** Virtual time at start (default: now). */
  startTime?: Date;
  /** Virtual seconds per real second for auto-progression; undefined = manual clock only. */
  timeScale?: number;
  /** Per approval attempt (default 10 000 ms, as AssetPay). */
  approvalTimeoutMs?: number;
  /** Ordinary callback retries: attempts in all, first backoff (doubling). Default 6 × 1 s. */
  callbackRetry?: RetryPolicy;
  /** Per ordinary delivery attempt (default 15 000 ms). */
  deliveryTimeoutMs?: number;
  /** isInstant when a deposit omits it (default false, as the contract says). */
  isInstantDefault?: boolean;
  /** Real milliseconds an offer takes to create (default 20). */
  createLatencyMs?: number;
  /** How real-time pauses are waited out (offer creation, delivery delays, retry backoff); tests inject one. */
  sleep?: Sleep;
  /** Merchant wallet in USD (default 100 000). */
  merchantBalance?: number;
  /** Seed of every invented thing: inventories are per SteamID regardless. */
  seed?: string;
  logger?: SandboxLogger;
}

export function configFrom(opts: SandboxOptions): SandboxConfig {
  const config: SandboxConfig = {
    apiKey: opts.apiKey ?? SANDBOX_DEFAULTS.apiKey,
    apiSecret: opts.apiSecret ?? SANDBOX_DEFAULTS.apiSecret,
    merchantId: opts.merchantId ?? SANDBOX_DEFAULTS.merchantId,
    seed: opts.seed ?? SANDBOX_DEFAULTS.seed,
    startMs: opts.startTime?.getTime() ?? Date.now(),
    isInstantDefault: opts.isInstantDefault ?? false,
    createLatencyMs: opts.createLatencyMs ?? SANDBOX_DEFAULTS.createLatencyMs,
    initialBalanceCents: dollarsToCents(opts.merchantBalance ?? SANDBOX_DEFAULTS.merchantBalance),
  };
  if (opts.previousSecret !== undefined) config.previousSecret = opts.previousSecret;
  return config;
}
