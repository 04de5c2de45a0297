/**
 * The HTTP transport under the AssetPay client: one undici pool per base URL with keep-alive,
 * a per-attempt deadline, an `x-request-id` that stays the same across the retries of one logical
 * call, and a retry policy that only ever repeats what is safe to send twice. Every answer is
 * checked against the envelope and its `data` against a zod schema, so callers get typed values
 * or an `AssetPayError`, never a half-read body.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Dispatcher, Pool } from "undici";
import type { z } from "zod";
import { type Outcome, readAnswer } from "./answer.ts";
import type { Call, HttpMethod } from "./call.ts";
import { AssetPayError, clientError } from "./errors.ts";
import { DEFAULT_RETRY, type RetryPolicy, retryDelay } from "./retry.ts";
import { createWire } from "./wire.ts";

export { DEFAULT_RETRY, type RetryPolicy };

/** The slice of pino the client uses; a pino `Logger` satisfies it. */
export interface LoggerLike {
  child(bindings: Record<string, unknown>): LoggerLike;
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ResponseInfo {
  operation: string;
  method: HttpMethod;
  /** HTTP status, or 0 when the attempt got no response. */
  status: number;
  durationMs: number;
  /** 1 for the first try of a call. */
  attempt: number;
}

export type { Auth, Call, HttpMethod, QueryValue } from "./call.ts";

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  /** Values that must never appear in an error (the API key is always included). */
  secrets: readonly string[];
  retry: RetryPolicy;
  now: () => number;
  /** Waits out a backoff or a short Retry-After; tests pass one that does not wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  dispatcher?: Dispatcher;
  logger?: LoggerLike;
  onResponse?: (info: ResponseInfo) => void;
}

export interface Transport {
  send<S extends z.ZodType>(call: Call<S>): Promise<z.output<S>>;
  /** Closes the pool the transport created; an injected dispatcher is left to its owner. */
  close(): Promise<void>;
}

export function createTransport(opts: TransportOptions): Transport {
  const base = new URL(opts.baseUrl);
  const origin = base.origin;
  const ownPool = opts.dispatcher === undefined;
  const dispatcher: Dispatcher =
    opts.dispatcher ?? new Pool(origin, { connections: 16, keepAliveTimeout: 30_000, pipelining: 1 });
  const baseSecrets = [opts.apiKey, ...opts.secrets].filter((s) => s.length >= 4);
  const pause =
    opts.sleep ??
    ((ms: number, signal?: AbortSignal) =>
      sleep(ms, undefined, signal === undefined ? undefined : { signal }));

  const request = createWire({ dispatcher, baseUrl: base, apiKey: opts.apiKey });

  async function attemptOnce<S extends z.ZodType>(
    call: Call<S>,
    requestId: string,
    secrets: readonly string[],
  ): Promise<Outcome<z.output<S>>> {
    const raw = await request(call, requestId, secrets);
    if (raw instanceof AssetPayError) return { ok: false, error: raw };
    return readAnswer(call, requestId, raw, secrets, opts.now());
  }

  function report(info: ResponseInfo): void {
    try {
      opts.onResponse?.(info);
    } catch {
      // A metrics hook must never turn a good answer into a failure.
    }
  }

  return {
    async send<S extends z.ZodType>(call: Call<S>): Promise<z.output<S>> {
      const requestId = call.requestId ?? randomUUID();
      const secrets = call.auth.kind === "bearer" ? [...baseSecrets, call.auth.token] : baseSecrets;
      const log = opts.logger?.child({ operation: call.operation, requestId });
      for (let attempt = 1; ; attempt++) {
        const started = performance.now();
        const outcome = await attemptOnce(call, requestId, secrets);
        const durationMs = Math.round(performance.now() - started);
        const status = outcome.ok ? outcome.status : outcome.error.status;
        report({ operation: call.operation, method: call.method, status, durationMs, attempt });
        if (outcome.ok) {
          log?.debug({ method: call.method, path: call.path, status, durationMs, attempt }, "assetpay call");
          return outcome.value;
        }
        const err = outcome.error;
        const delay = retryDelay(opts.retry, call, err, attempt);
        log?.debug(
          {
            method: call.method,
            path: call.path,
            status,
            durationMs,
            attempt,
            key: err.key,
            ...(delay === undefined ? {} : { retryInMs: delay }),
          },
          "assetpay call failed",
        );
        if (delay === undefined) throw err;
        try {
          await pause(delay, call.signal);
        } catch {
          throw clientError("SDK_ABORTED", `${call.operation}: request aborted`, {
            status: 0,
            operation: call.operation,
            requestId,
          });
        }
      }
    },
    async close() {
      if (ownPool) await dispatcher.close();
    },
  };
}
