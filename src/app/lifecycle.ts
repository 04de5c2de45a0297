/**
 * Starting and stopping a built app. Start works off what a crash left between a settlement
 * commit and its notices before it listens, so no callback races that work; stop takes no new
 * callbacks first, then lets in-flight settlement, reconciling and sends finish, and closes
 * Redis last (only a connection the app opened itself).
 */
import type { Logger } from "pino";
import type { AssetPayClient } from "../assetpay/client.ts";
import type { Config } from "../config.ts";
import type { AuditChannel } from "../core/audit-events.ts";
import type { Dashboard } from "../core/dashboard/dashboard.ts";
import type { OutboxWorker } from "../core/outbox-worker.ts";
import type { Reconciler } from "../core/reconciler.ts";
import type { Settlement } from "../core/settlement.ts";
import { listenFailure } from "../failures.ts";
import type { Health } from "../http/health.ts";
import type { HttpListener } from "../http/server.ts";
import type { RedisClient } from "../store/redis.ts";
import { migrateLegacyWatch } from "../store/trade-book-redis.ts";
import type { createAppHttp } from "./http-routes.ts";
import type { Stores } from "./stores.ts";

export interface LifecycleDeps {
  config: Config;
  logger: Logger;
  stores: Pick<Stores, "redis" | "ownsRedis">;
  prefix: string;
  http: HttpListener;
  metricsListener: ReturnType<typeof createAppHttp>["metricsListener"];
  settlement: Settlement;
  reconciler: Reconciler;
  worker: OutboxWorker;
  dashboard: Dashboard;
  health: Health;
  audit: AuditChannel;
  client: AssetPayClient;
  /** Told the listener's URL once it is bound (the dashboard's links point there). */
  onBound: (url: string) => void;
}

export function createLifecycle(deps: LifecycleDeps) {
  const { config, logger, http, metricsListener, settlement, reconciler, worker, health } = deps;
  const { redis, ownsRedis } = deps.stores;
  let sampler: NodeJS.Timeout | undefined;
  let started = false;
  return {
    async start(): Promise<{ url: string; port: number }> {
      if (redis) await migrateLegacyWatch(redis, deps.prefix);
      // Work a crash left between a settlement commit and its notices: done before listening.
      await settlement.drain();
      const bound = await listenOrFail(
        () => http.listen(config.http.port, config.http.host),
        "the listener",
        "HTTP_PORT",
      );
      started = true;
      if (metricsListener && config.metrics.port !== undefined) {
        const port = config.metrics.port;
        await listenOrFail(
          () => metricsListener.listen(port, config.metrics.host),
          "the metrics listener",
          "METRICS_PORT",
        );
      }
      deps.onBound(bound.url);
      if (config.dashboard.sampleMinutes > 0) {
        // The first sample waits one interval: start-up makes no AssetPay call for it.
        const sample = () =>
          deps.dashboard.solvency
            .sample()
            .catch((err: unknown) => logger.warn({ err }, "solvency sample failed"));
        sampler = setInterval(sample, config.dashboard.sampleMinutes * 60_000);
        sampler.unref();
      }
      worker.start();
      if (config.reconcile.intervalSeconds > 0) reconciler.start(config.reconcile.intervalSeconds * 1000);
      health.start();
      logger.info({ url: bound.url, callbackPath: config.http.callbackPath }, "skinbridge listening");
      logCallbackUrl(config, logger);
      return bound;
    },

    async stop(): Promise<void> {
      if (sampler) clearInterval(sampler);
      health.stop();
      if (started) await Promise.all([http.close(), metricsListener?.close()]);
      const store = watchStoreLoss(redis);
      let gaveUp = false;
      // With Redis gone, a step that needs it would wait for as long as Redis stays away (its
      // client queues commands until it reconnects). What such a step would finish is durable —
      // the relay's done-marks, the outbox, the audit queue — and redone by the next start or
      // another instance, so stop gives it up once Redis is down instead of hanging.
      const whileStoreUp = async (step: () => Promise<unknown>) => {
        if (gaveUp) return;
        const finished = step().then(
          () => true,
          () => true,
        );
        gaveUp = !(await Promise.race([finished, store.lost.then(() => false)]));
      };
      try {
        // Marks done the after-commit work this instance carried out since its last commit.
        if (started) await whileStoreUp(() => settlement.drain());
        await whileStoreUp(() => reconciler.stop());
        await whileStoreUp(() => worker.stop());
        await whileStoreUp(() => deps.audit.stop());
      } finally {
        store.forget();
      }
      if (gaveUp)
        logger.warn("Redis is unreachable; stopping without finishing work the next start picks up");
      await deps.client.close();
      if (ownsRedis && redis) {
        if (redis.isReady) await redis.close();
        else redis.destroy();
      }
    },
  };
}

async function listenOrFail<T>(listen: () => Promise<T>, what: string, portVariable: string): Promise<T> {
  try {
    return await listen();
  } catch (err) {
    throw listenFailure(err, what, portVariable) ?? err;
  }
}

/** The URL to paste into AssetPay's dashboard, or why there is none. */
function logCallbackUrl(config: Config, logger: Logger): void {
  if (config.http.publicUrl === undefined) {
    logger.warn(
      "PUBLIC_URL is not set: AssetPay cannot reach the callback URL and refuses withdrawals; set it (see README, HTTPS)",
    );
    return;
  }
  const url = `${config.http.publicUrl}${config.http.callbackPath}`;
  logger.info({ callbackUrl: url }, `callback URL for the AssetPay dashboard: ${url}`);
}

/** Settles once the Redis connection is down, now or later; never for the memory store. */
function watchStoreLoss(redis: RedisClient | undefined): { lost: Promise<void>; forget(): void } {
  if (!redis) return { lost: new Promise(() => undefined), forget: () => undefined };
  if (!redis.isReady) return { lost: Promise.resolve(), forget: () => undefined };
  let onLoss: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => {
    onLoss = resolve;
  });
  for (const event of ["end", "reconnecting", "error"]) redis.on(event, onLoss);
  return {
    lost,
    forget: () => {
      for (const event of ["end", "reconnecting", "error"]) redis.off(event, onLoss);
    },
  };
}
