/**
 * The one HTTP listener's routes: AssetPay's signed callbacks, health and metrics, and Steam
 * sign-in when it is on (it needs the public URL to send members back to).
 */
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Accounts } from "../core/accounts.ts";
import type { Identities } from "../core/identities.ts";
import type { Settlement } from "../core/settlement.ts";
import { createSteamSignIn, type SteamSignIn, signInKey } from "../core/steam-signin.ts";
import { timeApprovals } from "../http/approval-timing.ts";
import { createCallbackHandler } from "../http/callbacks.ts";
import { addHealthRoutes, type Health } from "../http/health.ts";
import type { Metrics } from "../http/metrics.ts";
import { addMetricsRoutes } from "../http/metrics-access.ts";
import { createHttpListener } from "../http/server.ts";
import { addSteamSignInRoutes } from "../http/steam-signin.ts";
import { createSteamOpenId } from "../steam/openid.ts";
import { createMemoryAtomicKv, createRedisAtomicKv } from "../store/kv-atomic.ts";
import type { I18n } from "../ui/i18n.ts";
import type { Stores } from "./stores.ts";

export interface HttpDeps {
  config: Config;
  logger: Logger;
  stores: Stores;
  prefix: string;
  i18n: I18n;
  metrics: Metrics;
  health: Health;
  settlement: Settlement;
  accounts: Accounts;
  identities: Identities;
  now: (() => number) | undefined;
}

function createSignIn(deps: HttpDeps): SteamSignIn | undefined {
  const { config, stores } = deps;
  const { redis, kv } = stores;
  if (config.steam.signIn === "off" || config.http.publicUrl === undefined) return undefined;
  return createSteamSignIn({
    policy: config.steam.signIn,
    publicUrl: config.http.publicUrl,
    key: signInKey(config.assetpay.apiSecret),
    kv: kv.sessions,
    once: redis
      ? createRedisAtomicKv(redis, kv.sessions, deps.prefix, "sessions")
      : createMemoryAtomicKv(kv.sessions),
    openid: createSteamOpenId({ baseUrl: config.steam.openIdUrl }),
    accounts: deps.accounts,
    identities: deps.identities,
    ...(deps.now ? { now: deps.now } : {}),
  });
}

export function createAppHttp(deps: HttpDeps) {
  const { config, logger, metrics } = deps;
  const http = createHttpListener({ logger, maxConnections: config.http.maxConnections });
  const signIn = createSignIn(deps);
  if (signIn)
    addSteamSignInRoutes(http, {
      signIn,
      i18n: deps.i18n,
      logger: logger.child({ component: "steam-signin" }),
    });
  http.route(
    "POST",
    config.http.callbackPath,
    createCallbackHandler({
      settlement: timeApprovals(deps.settlement, metrics),
      secret: config.assetpay.apiSecret,
      ...(config.assetpay.previousApiSecret !== undefined
        ? { previousSecret: config.assetpay.previousApiSecret }
        : {}),
      toleranceSeconds: config.assetpay.callbackToleranceSeconds,
      deliveries: deps.stores.kv.misc,
      logger: logger.child({ component: "callbacks" }),
      metrics,
      ...(deps.now ? { now: deps.now } : {}),
    }),
  );
  addHealthRoutes(http, deps.health);
  const metricsListener = addMetricsRoutes(http, metrics, config.metrics, logger);
  return { http, signIn, metricsListener };
}
