/**
 * The callback sender: signed `{"trade": Trade}` POSTs to the merchant's callback URL.
 *
 * - Ordinary deliveries keep their delivery id across retries and are retried with exponential
 *   backoff on a non-2xx answer, a timeout or a network error.
 * - Deliveries of one trade go out one after another, in transition order (unless a reorder
 *   fault holds one back until its successor went out).
 * - A withdrawal's `initiated` callback is the blocking approval: up to 3 attempts, each with a
 *   new delivery id; 2xx approves unless the body says `{"action":"reject"}`, a 4xx other than
 *   408/429 rejects, anything else (timeout, 5xx, 408, 429, network) is a failed attempt.
 * - The signature's `t` is real wall-clock time: receivers compare it with their own clock.
 */
import { randomUUID } from "node:crypto";
import { Agent, request } from "undici";
import { buildSignatureHeader, computeSignature } from "../assetpay/signature.ts";
import type { Sleep } from "./context.ts";
import type { DeliveryFaults, Faults } from "./faults.ts";
import type { SandboxLogger } from "./logger.ts";

export interface AttemptRecord {
  at: string;
  durationMs: number;
  status?: number;
  error?: string;
  signature: "valid" | "corrupted" | "none";
  duplicate?: true;
}

export type DeliveryOutcome =
  | "queued"
  | "delivered"
  | "failed"
  | "dropped"
  | "held"
  | "skipped"
  | "approved"
  | "rejected";

export interface DeliveryRecord {
  deliveryId: string;
  kind: "event" | "approval" | "ping";
  tradeId?: string;
  /** The trade status this delivery announces. */
  tradeStatus?: string;
  url?: string;
  body: string;
  createdAt: string;
  attempts: AttemptRecord[];
  outcome: DeliveryOutcome;
  faults: string[];
}

export type ApprovalVerdict = "approved" | "rejected" | "timeout";

export interface ApprovalResult {
  verdict: ApprovalVerdict;
  reason?: string;
  deliveryIds: string[];
}

export interface PingResult {
  ok: boolean;
  status?: number;
  error?: string;
}

export interface CallbackSenderOptions {
  secret: string;
  previousSecret?: string;
  retry: { attempts: number; baseDelayMs: number };
  approvalTimeoutMs: number;
  deliveryTimeoutMs: number;
  pingTimeoutMs: number;
  faults: Faults;
  logger: SandboxLogger;
  sleep: Sleep;
  url?: string;
}

export interface CallbackSender {
  url(): string | undefined;
  setUrl(url: string | undefined): void;
  /** POSTs the unsigned URL-test ping to `url`. */
  ping(url: string): Promise<PingResult>;
  /** Queues an ordinary delivery; resolves once it was delivered, failed, dropped or held back. */
  event(tradeId: string, tradeStatus: string, body: string): Promise<void>;
  /** Runs the approval exchange for a withdrawal (in the trade's delivery order). */
  approval(tradeId: string, body: string): Promise<ApprovalResult>;
  /** Sends deliveries held back by a reorder fault (of one trade, or all). */
  releaseHeld(tradeId?: string): Promise<void>;
  heldTradeIds(): string[];
  /** Resolves once nothing is being delivered. */
  idle(): Promise<void>;
  busy(): boolean;
  deliveries(): DeliveryRecord[];
  reset(): void;
  close(): Promise<void>;
}

const MAX_RECORDS = 5_000;
const MAX_BACKOFF_MS = 60_000;

type AttemptResult = { kind: "response"; status: number; text: string } | { kind: "error"; error: string };

export function createCallbackSender(opts: CallbackSenderOptions): CallbackSender {
  let url = opts.url;
  let controller = new AbortController();
  const agent = new Agent({ keepAliveTimeout: 1_000, keepAliveMaxTimeout: 5_000 });
  let records: DeliveryRecord[] = [];
  let chains = new Map<string, Promise<void>>();
  let held = new Map<string, { record: DeliveryRecord; faults: DeliveryFaults }[]>();
  const inflight = new Set<Promise<unknown>>();
  const log = opts.logger;

  const track = <T>(p: Promise<T>): Promise<T> => {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    inflight.add(settled);
    settled.then(() => inflight.delete(settled));
    return p;
  };

  const remember = (record: DeliveryRecord): DeliveryRecord => {
    records.push(record);
    if (records.length > MAX_RECORDS) records = records.slice(-MAX_RECORDS);
    return record;
  };

  const newRecord = (kind: DeliveryRecord["kind"], body: string, tradeId?: string, status?: string) => {
    const record: DeliveryRecord = {
      deliveryId: randomUUID(),
      kind,
      body,
      createdAt: new Date().toISOString(),
      attempts: [],
      outcome: "queued",
      faults: [],
    };
    if (tradeId !== undefined) record.tradeId = tradeId;
    if (status !== undefined) record.tradeStatus = status;
    return remember(record);
  };

  /** Runs `job` after every earlier job of the same trade. */
  const enqueue = <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const prev = chains.get(key) ?? Promise.resolve();
    const run = prev.then(job);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    chains.set(key, settled);
    settled.then(() => {
      if (chains.get(key) === settled) chains.delete(key);
    });
    return track(run);
  };

  const pause = (ms: number, signal: AbortSignal): Promise<void> => opts.sleep(ms, signal);
  const backoff = (attempt: number): number =>
    Math.min(MAX_BACKOFF_MS, opts.retry.baseDelayMs * 2 ** (attempt - 1));

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
      log.debug(
        {
          deliveryId: record.deliveryId,
          kind: record.kind,
          tradeId: record.tradeId,
          status: attempt.status,
          error: attempt.error,
        },
        "sandbox callback attempt",
      );
    }
  };

  /** One signed POST of `record` to the current callback URL. */
  const attemptSigned = async (
    record: DeliveryRecord,
    timeoutMs: number,
    stop: AbortSignal,
    flags: { corrupt?: boolean; duplicate?: boolean } = {},
  ): Promise<AttemptResult | undefined> => {
    const target = url;
    if (target === undefined) return undefined;
    if (stop.aborted) throw stop.reason;
    record.url = target;
    const timestamp = new Date().toISOString();
    const signature = flags.corrupt
      ? `t=${timestamp},id=${record.deliveryId},s=${computeSignature(`${opts.secret}-corrupted`, record.deliveryId, timestamp, record.body)}`
      : buildSignatureHeader({
          secret: opts.secret,
          ...(opts.previousSecret !== undefined ? { previousSecret: opts.previousSecret } : {}),
          deliveryId: record.deliveryId,
          timestamp,
          rawBody: record.body,
        });
    const attempt: AttemptRecord = {
      at: timestamp,
      durationMs: 0,
      signature: flags.corrupt ? "corrupted" : "valid",
    };
    if (flags.duplicate) attempt.duplicate = true;
    return post(record, target, { "x-assetpay-signature": signature }, timeoutMs, attempt, stop);
  };

  const is2xx = (r: AttemptResult | undefined): boolean =>
    r?.kind === "response" && r.status >= 200 && r.status < 300;

  const sendOrdinary = async (
    record: DeliveryRecord,
    faults: DeliveryFaults,
    stop: AbortSignal,
  ): Promise<void> => {
    if (faults.delayMs > 0) await pause(faults.delayMs, stop);
    for (let attempt = 1; ; attempt++) {
      const result = await attemptSigned(record, opts.deliveryTimeoutMs, stop, {
        corrupt: faults.corrupt && attempt === 1,
      });
      if (result === undefined) {
        record.outcome = "skipped";
        return;
      }
      if (is2xx(result)) {
        record.outcome = "delivered";
        break;
      }
      if (attempt >= opts.retry.attempts) {
        record.outcome = "failed";
        log.warn({ deliveryId: record.deliveryId, tradeId: record.tradeId }, "sandbox callback gave up");
        break;
      }
      await pause(backoff(attempt), stop);
    }
    if (faults.duplicate) await attemptSigned(record, opts.deliveryTimeoutMs, stop, { duplicate: true });
  };

  const flushHeld = async (tradeId: string, stop: AbortSignal): Promise<void> => {
    const waiting = held.get(tradeId);
    if (!waiting?.length) return;
    held.delete(tradeId);
    for (const h of waiting) await sendOrdinary(h.record, { ...h.faults, reorder: false }, stop);
  };

  const sender: CallbackSender = {
    url: () => url,
    setUrl(next) {
      url = next;
    },
    async ping(target) {
      const body = JSON.stringify({
        test: true,
        timestamp: new Date().toISOString(),
        message: "AssetPay callback URL test",
      });
      const record = newRecord("ping", body);
      record.url = target;
      const attempt: AttemptRecord = { at: new Date().toISOString(), durationMs: 0, signature: "none" };
      const result = await track(post(record, target, {}, opts.pingTimeoutMs, attempt, controller.signal));
      const ok = is2xx(result);
      record.outcome = ok ? "delivered" : "failed";
      const out: PingResult = { ok };
      if (result.kind === "response") out.status = result.status;
      else out.error = result.error;
      return out;
    },
    event(tradeId, tradeStatus, body) {
      const record = newRecord("event", body, tradeId, tradeStatus);
      const faults = opts.faults.decide();
      for (const [name, on] of Object.entries({
        drop: faults.drop,
        duplicate: faults.duplicate,
        reorder: faults.reorder,
        corrupt: faults.corrupt,
        delay: faults.delayMs > 0,
      })) {
        if (on) record.faults.push(name);
      }
      const stop = controller.signal;
      return enqueue(tradeId, async () => {
        if (faults.drop) {
          record.outcome = "dropped";
          return;
        }
        if (faults.reorder) {
          record.outcome = "held";
          const list = held.get(tradeId) ?? [];
          list.push({ record, faults });
          held.set(tradeId, list);
          return;
        }
        await sendOrdinary(record, faults, stop);
        await flushHeld(tradeId, stop);
      }).catch((err) => {
        if (!stop.aborted) log.error({ err, tradeId }, "sandbox callback delivery crashed");
      });
    },
    approval(tradeId, body) {
      const stop = controller.signal;
      return enqueue(tradeId, async (): Promise<ApprovalResult> => {
        const deliveryIds: string[] = [];
        for (let attempt = 1; attempt <= 3; attempt++) {
          const record = newRecord("approval", body, tradeId, "initiated");
          deliveryIds.push(record.deliveryId);
          const result = await attemptSigned(record, opts.approvalTimeoutMs, stop);
          if (result?.kind === "response") {
            const { status, text } = result;
            if (status >= 200 && status < 300) {
              const verdict = parseVerdict(text);
              record.outcome = verdict.reject ? "rejected" : "approved";
              const out: ApprovalResult = { verdict: verdict.reject ? "rejected" : "approved", deliveryIds };
              if (verdict.reason !== undefined) out.reason = verdict.reason;
              return out;
            }
            if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
              record.outcome = "rejected";
              return { verdict: "rejected", reason: `HTTP ${status}`, deliveryIds };
            }
          }
          record.outcome = "failed";
          if (attempt < 3) await pause(backoff(attempt), stop);
        }
        return { verdict: "timeout", deliveryIds };
      });
    },
    async releaseHeld(tradeId) {
      const ids = tradeId === undefined ? [...held.keys()] : [tradeId];
      const stop = controller.signal;
      await Promise.all(ids.map((id) => enqueue(id, () => flushHeld(id, stop)).catch(() => undefined)));
    },
    heldTradeIds: () => [...held.keys()],
    busy: () => inflight.size > 0,
    async idle() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
    deliveries: () =>
      records.map((r) => ({ ...r, attempts: r.attempts.map((a) => ({ ...a })), faults: [...r.faults] })),
    reset() {
      controller.abort();
      controller = new AbortController();
      records = [];
      chains = new Map();
      held = new Map();
    },
    async close() {
      controller.abort();
      held = new Map();
      await sender.idle();
      await agent.destroy();
    },
  };
  return sender;
}

function parseVerdict(text: string): { reject: boolean; reason?: string } {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === "object" && (body as { action?: unknown }).action === "reject") {
      const reason = (body as { reason?: unknown }).reason;
      return typeof reason === "string" ? { reject: true, reason } : { reject: true };
    }
  } catch {
    // Any 2xx that is not a JSON reject approves, whatever its body.
  }
  return { reject: false };
}
