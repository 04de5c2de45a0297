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
import { z } from "zod";
import { AssetPayError, clientError, parseRetryAfter } from "./errors.ts";
import { ErrorBodyWire } from "./schemas.ts";

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

export interface RetryPolicy {
  /** Total tries of an idempotent call, the first included. */
  attempts: number;
  /** First backoff step; doubled per retry, with jitter. */
  baseDelayMs: number;
  /** A longer `Retry-After` is not waited out: the error is thrown with `retryAfter` set. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxRetryAfterSeconds: 10 };

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

const SuccessEnvelope = z.looseObject({
  requestId: z.string(),
  success: z.literal(true),
  data: z.unknown(),
});
// Lenient on requestId: a missing id must not hide the error key the server did send.
const ErrorEnvelope = z.looseObject({
  requestId: z.string().optional(),
  success: z.literal(false),
  error: ErrorBodyWire,
});

type Outcome<T> = { ok: true; value: T; status: number } | { ok: false; error: AssetPayError };

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

  function redact(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const s of secrets) out = out.split(s).join("[redacted]");
    return out;
  }

  function redactDeep(value: unknown, secrets: readonly string[]): unknown {
    if (typeof value === "string") return redact(value, secrets);
    if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]));
    }
    return value;
  }

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

  async function attemptOnce<S extends z.ZodType>(
    call: Call<S>,
    requestId: string,
    secrets: readonly string[],
  ): Promise<Outcome<z.output<S>>> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, call.timeoutMs);
    const onCallerAbort = () => controller.abort();
    call.signal?.addEventListener("abort", onCallerAbort, { once: true });
    if (call.signal?.aborted) controller.abort();

    let status: number;
    let retryAfterHeader: string | undefined;
    let text: string;
    try {
      const res = await dispatcher.request({
        origin,
        path: buildPath(call.path, call.query),
        method: call.method,
        headers: headersFor(call, requestId),
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal: controller.signal,
      });
      status = res.statusCode;
      const ra = res.headers["retry-after"];
      retryAfterHeader = Array.isArray(ra) ? ra[0] : ra;
      text = await res.body.text();
    } catch (err) {
      const base = { status: 0, operation: call.operation, requestId, cause: err };
      if (call.signal?.aborted) {
        return { ok: false, error: clientError("SDK_ABORTED", `${call.operation}: request aborted`, base) };
      }
      if (timedOut) {
        const msg = `${call.operation}: no answer within ${call.timeoutMs} ms`;
        return { ok: false, error: clientError("SDK_TIMEOUT", msg, base) };
      }
      const msg = redact(`${call.operation}: network error (${describeTransportError(err)})`, secrets);
      return { ok: false, error: clientError("SDK_NETWORK", msg, base) };
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", onCallerAbort);
    }

    const json = parseJson(text);
    const retryAfter = parseRetryAfter(retryAfterHeader, opts.now());
    const common = {
      status,
      operation: call.operation,
      requestId,
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };

    if (status >= 200 && status < 300) {
      const env = SuccessEnvelope.safeParse(json);
      if (!env.success) {
        const msg = `${call.operation}: HTTP ${status} without a success envelope`;
        return { ok: false, error: clientError("SDK_INVALID_RESPONSE", msg, common) };
      }
      const data = call.schema.safeParse(env.data.data);
      if (!data.success) {
        const where = data.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
          .join("; ");
        const msg = `${call.operation}: unexpected response data (${where})`;
        return {
          ok: false,
          error: clientError("SDK_INVALID_RESPONSE", msg, { ...common, requestId: env.data.requestId }),
        };
      }
      return { ok: true, value: data.data, status };
    }

    const env = ErrorEnvelope.safeParse(json);
    if (!env.success) {
      const msg = `${call.operation}: HTTP ${status} without an error envelope`;
      return { ok: false, error: clientError("SDK_INVALID_RESPONSE", msg, common) };
    }
    const e = env.data.error;
    const message = Array.isArray(e.message) ? e.message.join("; ") : e.message;
    return {
      ok: false,
      error: new AssetPayError({
        ...common,
        requestId: env.data.requestId ?? requestId,
        code: e.code,
        key: e.key,
        message: redact(message, secrets),
        ...(e.fields === undefined
          ? {}
          : { fields: redactDeep(e.fields, secrets) as Record<string, string> }),
        ...(e.details === undefined
          ? {}
          : { details: redactDeep(e.details, secrets) as Record<string, unknown> }),
      }),
    };
  }

  /** Milliseconds to wait before the next try, or undefined to give up with this error. */
  function retryDelay(call: Call<z.ZodType>, err: AssetPayError, attempt: number): number | undefined {
    if (!call.idempotent || attempt >= opts.retry.attempts || call.signal?.aborted) return undefined;
    if (err.key === "SDK_ABORTED") return undefined;
    const transient = err.status === 0 || err.status >= 500;
    if (err.status !== 429 && !transient) return undefined;
    if (err.retryAfter !== undefined) {
      return err.retryAfter <= opts.retry.maxRetryAfterSeconds ? err.retryAfter * 1000 : undefined;
    }
    // A 429 without Retry-After: the bucket is shared by every member, hammering it helps no one.
    if (err.status === 429) return undefined;
    const ceiling = opts.retry.baseDelayMs * 2 ** (attempt - 1);
    return Math.round(ceiling / 2 + (ceiling / 2) * Math.random());
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
        const delay = retryDelay(call, err, attempt);
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

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
