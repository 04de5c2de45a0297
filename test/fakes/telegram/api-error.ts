import type { ViolationKind } from "./types.ts";

/**
 * A Bot API refusal, carrying exactly what Telegram answers (`error_code`, `description`,
 * optional `retry_after`) plus whether it exposes a bug in the caller. Runtime conditions a
 * correct bot must still handle (blocked user, unknown chat, flood wait it was told about)
 * are not violations; requests Telegram rejects as malformed are.
 */
export class TelegramApiError extends Error {
  readonly errorCode: number;
  readonly description: string;
  readonly retryAfter: number | undefined;
  readonly violation: ViolationKind | undefined;

  constructor(
    errorCode: number,
    description: string,
    opts: { violation?: ViolationKind; retryAfter?: number } = {},
  ) {
    super(description);
    this.name = "TelegramApiError";
    this.errorCode = errorCode;
    this.description = description;
    this.retryAfter = opts.retryAfter;
    this.violation = opts.violation;
  }

  toBody(): { ok: false; error_code: number; description: string; parameters?: { retry_after: number } } {
    const body: { ok: false; error_code: number; description: string; parameters?: { retry_after: number } } =
      { ok: false, error_code: this.errorCode, description: this.description };
    if (this.retryAfter !== undefined) body.parameters = { retry_after: this.retryAfter };
    return body;
  }
}

export function badRequest(description: string, violation: ViolationKind = "bad_request"): TelegramApiError {
  return new TelegramApiError(400, `Bad Request: ${description}`, { violation });
}

export function tooManyRequests(retryAfter: number, violation?: ViolationKind): TelegramApiError {
  const opts: { violation?: ViolationKind; retryAfter: number } = { retryAfter };
  if (violation) opts.violation = violation;
  return new TelegramApiError(429, `Too Many Requests: retry after ${retryAfter}`, opts);
}
