/**
 * One AssetPay request on the wire: the URL below the base path, the headers (the API key or a
 * member's bearer token, and the request id that stays the same across retries), a deadline per
 * attempt, and the caller's abort signal. It answers with the raw status and body, or with why
 * none came — the transport decides what either means.
 */
import type { Dispatcher } from "undici";
import type { z } from "zod";
import type { RawAnswer } from "./answer.ts";
import type { Call, QueryValue } from "./call.ts";
import { type AssetPayError, clientError } from "./errors.ts";
import { redact } from "./redact.ts";

export function createWire(opts: { dispatcher: Dispatcher; baseUrl: URL; apiKey: string }) {
  const { dispatcher } = opts;
  const origin = opts.baseUrl.origin;
  const basePath = opts.baseUrl.pathname.replace(/\/+$/, "");

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

  /** The raw answer, or why none came (timeout, abort, network). */
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

  return request;
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
