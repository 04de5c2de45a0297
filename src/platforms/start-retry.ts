/**
 * Starting a platform while its network is down: keep trying with capped backoff, with the
 * platform's health component saying why (health.ts repeats the warning every 30 s), instead of
 * a stack trace or silent retries. A refused token is not worth retrying: that ends the start.
 */
import type { HealthComponent } from "../http/health.ts";

export interface StartRetryOptions {
  status: HealthComponent;
  /** An error to end the start with (a rejected token), or undefined to retry. */
  fatal(err: unknown): Error | undefined;
  /** One line: what failed and what to check. */
  describe(err: unknown): string;
  stopped(): boolean;
  maxDelayMs?: number;
}

type ErrorLike = { cause?: ErrorLike; error?: ErrorLike; code?: string; message?: string } | undefined;

/** The most telling short reason: a system error code (ECONNREFUSED, ENOTFOUND) where there is one. */
export function reasonOf(err: unknown): string {
  // grammY's HttpError keeps the fetch error in `error`, fetch keeps the socket's in `cause`.
  const chain: ErrorLike[] = [];
  for (let e = err as ErrorLike; e && chain.length < 5; e = e.error ?? e.cause) chain.push(e);
  return chain.find((e) => typeof e?.code === "string")?.code ?? chain.at(-1)?.message ?? String(err);
}

export async function startWithRetry(attempt: () => Promise<void>, opts: StartRetryOptions): Promise<void> {
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  for (let tries = 0; ; tries++) {
    try {
      await attempt();
      return;
    } catch (err) {
      const fatal = opts.fatal(err);
      if (fatal) throw fatal;
      if (opts.stopped()) throw err;
      opts.status.down(opts.describe(err));
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** tries, maxDelayMs)).unref());
      if (opts.stopped()) throw err;
    }
  }
}
