/**
 * Reading one AssetPay answer: a 2xx must carry the success envelope and `data` matching the
 * call's zod schema; anything else must carry the error envelope, whose key callers branch on.
 * Callers get a typed value or an `AssetPayError` (secrets redacted), never a half-read body.
 */
import { z } from "zod";
import { AssetPayError, clientError, parseRetryAfter } from "./errors.ts";
import { redact, redactDeep } from "./redact.ts";
import { ErrorBodyWire } from "./schemas.ts";

export type Outcome<T> = { ok: true; value: T; status: number } | { ok: false; error: AssetPayError };

/** What came back over the wire for one attempt. */
export interface RawAnswer {
  status: number;
  retryAfterHeader: string | undefined;
  text: string;
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

export function readAnswer<S extends z.ZodType>(
  call: { operation: string; schema: S },
  requestId: string,
  raw: RawAnswer,
  secrets: readonly string[],
  nowMs: number,
): Outcome<z.output<S>> {
  const { status } = raw;
  const json = parseJson(raw.text);
  const retryAfter = parseRetryAfter(raw.retryAfterHeader, nowMs);
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
      ...(e.fields === undefined ? {} : { fields: redactDeep(e.fields, secrets) as Record<string, string> }),
      ...(e.details === undefined
        ? {}
        : { details: redactDeep(e.details, secrets) as Record<string, unknown> }),
    }),
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
