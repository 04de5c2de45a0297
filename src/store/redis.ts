/**
 * The one Redis connection of a process: keyv namespaces, the ledger and the outbox scripts all
 * run on it. Reconnects forever with capped, jittered backoff (several instances should not
 * stampede a restarted Redis), but the first connection must succeed within a deadline so a
 * misconfigured REDIS_URL stops the start instead of hanging it.
 */
import type { Logger } from "pino";
import { createClient, type RedisClientType } from "redis";

export type RedisClient = RedisClientType;

export interface ConnectRedisOptions {
  /** How long the first connection may take before giving up (default 10 s). */
  initialTimeoutMs?: number;
}

/** The URL with any password masked, for logs and errors. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable redis url>";
  }
}

function reconnectDelayMs(retries: number): number {
  const backoff = Math.min(100 * 2 ** Math.min(retries, 10), 5_000);
  return Math.round(backoff * (0.75 + Math.random() * 0.5));
}

export async function connectRedis(
  url: string,
  logger?: Logger,
  opts: ConnectRedisOptions = {},
): Promise<RedisClient> {
  const where = redactRedisUrl(url);
  const client: RedisClient = createClient({
    url,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => reconnectDelayMs(retries) },
  });
  // An 'error' event with no listener would throw and kill the process over a connection blip.
  client.on("error", (err: unknown) => {
    logger?.warn({ redis: where, err: err instanceof Error ? err.message : String(err) }, "redis error");
  });
  client.on("reconnecting", () => logger?.info({ redis: where }, "redis reconnecting"));
  client.on("ready", () => logger?.debug({ redis: where }, "redis ready"));

  const timeoutMs = opts.initialTimeoutMs ?? 10_000;
  const connecting = client.connect();
  // Once we give up, a late failure of the abandoned attempt must not surface as unhandled.
  connecting.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  let failure: string | undefined;
  try {
    if ((await Promise.race([connecting, deadline])) === "timeout")
      failure = `not reachable within ${timeoutMs} ms`;
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
  if (failure !== undefined) {
    if (client.isOpen) client.destroy();
    throw new Error(`redis connection to ${where} failed: ${failure}`);
  }
  return client;
}
