/**
 * One POST of a delivery's body, recorded as an attempt on it. Signed attempts go to the current
 * callback URL with `X-AssetPay-Signature`, whose `t` is real wall-clock time: receivers compare
 * it with their own clock.
 */
import { Agent, request } from "undici";
import { buildSignatureHeader, computeSignature } from "../../assetpay/signature.ts";
import type { SandboxLogger } from "../logger.ts";
import type { AttemptRecord, DeliveryRecord } from "./records.ts";

export type AttemptResult =
  | { kind: "response"; status: number; text: string }
  | { kind: "error"; error: string };

export function is2xx(r: AttemptResult | undefined): boolean {
  return r?.kind === "response" && r.status >= 200 && r.status < 300;
}

export interface TransportOptions {
  secret: string;
  previousSecret?: string;
  logger: SandboxLogger;
  /** The callback URL signed attempts go to (read at each attempt). */
  url(): string | undefined;
}

export interface SignFlags {
  /** Signs with a wrong secret (the corrupt fault). */
  corrupt?: boolean;
  /** Marks the attempt as the duplicate fault's second send. */
  duplicate?: boolean;
}

export interface CallbackTransport {
  /** An unsigned POST to `target` (the URL-test ping). */
  unsigned(
    record: DeliveryRecord,
    target: string,
    timeoutMs: number,
    stop: AbortSignal,
  ): Promise<AttemptResult>;
  /** A signed POST to the callback URL; undefined when none is set. */
  signed(
    record: DeliveryRecord,
    timeoutMs: number,
    stop: AbortSignal,
    flags?: SignFlags,
  ): Promise<AttemptResult | undefined>;
  close(): Promise<void>;
}

export function createTransport(opts: TransportOptions): CallbackTransport {
  const agent = new Agent({ keepAliveTimeout: 1_000, keepAliveMaxTimeout: 5_000 });

  const post = async (
    record: DeliveryRecord,
    target: string,
    headers: Record<string, string>,
    timeoutMs: number,
    attempt: AttemptRecord,
    stop: AbortSignal,
  ): Promise<AttemptResult> => {
    const started = performance.now();
    const signal = AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]);
    try {
      const res = await request(target, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "AssetPay-Callbacks/sandbox",
          ...headers,
        },
        body: record.body,
        dispatcher: agent,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await res.body.text();
      attempt.status = res.statusCode;
      return { kind: "response", status: res.statusCode, text };
    } catch (err) {
      const timedOut = signal.aborted && !stop.aborted;
      attempt.error = timedOut ? "timeout" : err instanceof Error ? err.message : String(err);
      return { kind: "error", error: attempt.error };
    } finally {
      attempt.durationMs = Math.round(performance.now() - started);
      record.attempts.push(attempt);
      const { deliveryId, kind, tradeId } = record;
      const logged = { deliveryId, kind, tradeId, status: attempt.status, error: attempt.error };
      opts.logger.debug(logged, "sandbox callback attempt");
    }
  };

  const signature = (record: DeliveryRecord, timestamp: string, corrupt: boolean): string =>
    corrupt
      ? `t=${timestamp},id=${record.deliveryId},s=${computeSignature(`${opts.secret}-corrupted`, record.deliveryId, timestamp, record.body)}`
      : buildSignatureHeader({
          secret: opts.secret,
          ...(opts.previousSecret !== undefined ? { previousSecret: opts.previousSecret } : {}),
          deliveryId: record.deliveryId,
          timestamp,
          rawBody: record.body,
        });

  return {
    unsigned(record, target, timeoutMs, stop) {
      const attempt: AttemptRecord = { at: new Date().toISOString(), durationMs: 0, signature: "none" };
      return post(record, target, {}, timeoutMs, attempt, stop);
    },
    async signed(record, timeoutMs, stop, flags = {}) {
      const target = opts.url();
      if (target === undefined) return undefined;
      if (stop.aborted) throw stop.reason;
      record.url = target;
      const timestamp = new Date().toISOString();
      const corrupt = flags.corrupt === true;
      const attempt: AttemptRecord = {
        at: timestamp,
        durationMs: 0,
        signature: corrupt ? "corrupted" : "valid",
      };
      if (flags.duplicate) attempt.duplicate = true;
      const headers = { "x-assetpay-signature": signature(record, timestamp, corrupt) };
      return post(record, target, headers, timeoutMs, attempt, stop);
    },
    close: () => agent.destroy(),
  };
}
