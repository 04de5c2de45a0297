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
import { type Outcome, type RawAnswer, readAnswer } from "./answer.ts";
import { AssetPayError, clientError } from "./errors.ts";
import { redact } from "./redact.ts";
import { DEFAULT_RETRY, type RetryPolicy, retryDelay } from "./retry.ts";

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

export type HttpMethod = "GET" | "POST";
export type Auth = { kind: "api-key" } | { kind: "bearer"; token: string };
export type QueryValue = string | number | boolean | undefined;

export interface Call<S extends z.ZodType> {
  operation: string;
  method: HttpMethod;
  /** Path below the base URL, segments already encoded. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  auth: Auth;
  schema: S;
  timeoutMs: number;
  /** Safe to send twice: retried on transport failures, 5xx and short 429s. */
  idempotent: boolean;
  /** Reused when a logical call is replayed (e.g. after a token refresh). */
  requestId?: string;
  signal?: AbortSignal;
}

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
  const basePath = base.pathname.replace(/\/+$/, "");
  const ownPool = opts.dispatcher === undefined;
  const dispatcher: Dispatcher =
    opts.dispatcher ?? new Pool(origin, { connections: 16, keepAliveTimeout: 30_000, pipelining: 1 });
  const baseSecrets = [opts.apiKey, ...opts.secrets].filter((s) => s.length >= 4);
  const pause =
    opts.sleep ??
    ((ms: number, signal?: AbortSignal) =>
      sleep(ms, undefined, signal === undefined ? undefined : { signal }));

  function buildPath(path: string, query: Record<string, QueryValue> | undefined): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined) params.set(k, String(v));
    }
    const qs = params.toString();
    return `${basePath}${path}${qs === "" ? "" : `?${qs}`}`;
  }

  function headersFor(call: Call<z.ZodType>, requestId: string): Record<string, string> {
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": "skinbridge",
      "x-request-id": requestId,
    };
    if (call.auth.kind === "api-key") headers["api-key"] = opts.apiKey;
    else headers["authorization"] = `Bearer ${call.auth.token}`;
    if (call.body !== undefined) headers["content-type"] = "application/json";
    return headers;
  }

  /** One request on the wire: the raw answer, or why none came (timeout, abort, network). */
  async function request(
    call: Call<z.ZodType>,
    requestId: string,
    secrets: readonly string[],
  ): Promise<RawAnswer | AssetPayError> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, call.timeoutMs);
    const onCallerAbort = () => controller.abort();
    call.signal?.addEventListener("abort", onCallerAbort, { once: true });
    if (call.signal?.aborted) controller.abort();
    try {
      const res = await dispatcher.request({
        origin,
        path: buildPath(call.path, call.query),
        method: call.method,
        headers: headersFor(call, requestId),
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal: controller.signal,
      });
      const ra = res.headers["retry-after"];
      const retryAfterHeader = Array.isArray(ra) ? ra[0] : ra;
      return { status: res.statusCode, retryAfterHeader, text: await res.body.text() };
    } catch (err) {
      const base = { status: 0, operation: call.operation, requestId, cause: err };
      if (call.signal?.aborted) return clientError("SDK_ABORTED", `${call.operation}: request aborted`, base);
      if (timedOut) {
        return clientError("SDK_TIMEOUT", `${call.operation}: no answer within ${call.timeoutMs} ms`, base);
      }
      const msg = redact(`${call.operation}: network error (${describeTransportError(err)})`, secrets);
      return clientError("SDK_NETWORK", msg, base);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

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

/** The error code undici or the OS gave (ECONNRESET, UND_ERR_SOCKET…), never a full message. */
function describeTransportError(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return err instanceof Error ? err.name : "unknown";
}
