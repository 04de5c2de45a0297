/**
 * The callback sender: signed `{"trade": Trade}` POSTs to the merchant's callback URL.
 *
 * - Ordinary deliveries are retried with backoff and may carry faults (callbacks/ordinary.ts).
 * - Deliveries of one trade go out one after another, in transition order (callbacks/queue.ts).
 * - A withdrawal's `initiated` callback is the blocking approval (callbacks/approval.ts).
 * - The URL-test ping is unsigned and not retried.
 */

import { runApproval } from "./callbacks/approval.ts";
import { createOrdinaryDeliveries } from "./callbacks/ordinary.ts";
import { createDeliveryQueue } from "./callbacks/queue.ts";
import {
  type ApprovalResult,
  createDeliveryLog,
  type DeliveryRecord,
  type PingResult,
} from "./callbacks/records.ts";
import type { RetryPolicy } from "./callbacks/retry.ts";
import { createTransport, is2xx } from "./callbacks/transport.ts";
import type { Faults } from "./faults.ts";
import type { SandboxLogger } from "./logger.ts";
import type { Sleep } from "./sleep.ts";

export type {
  ApprovalResult,
  ApprovalVerdict,
  AttemptRecord,
  DeliveryOutcome,
  DeliveryRecord,
  PingResult,
} from "./callbacks/records.ts";

export interface CallbackSenderOptions {
  secret: string;
  previousSecret?: string;
  retry: RetryPolicy;
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

export function createCallbackSender(opts: CallbackSenderOptions): CallbackSender {
  let url = opts.url;
  // Aborted by reset and close: every pending wait and attempt stops.
  let controller = new AbortController();
  const log = createDeliveryLog();
  const queue = createDeliveryQueue();
  const transport = createTransport({
    secret: opts.secret,
    ...(opts.previousSecret !== undefined ? { previousSecret: opts.previousSecret } : {}),
    logger: opts.logger,
    url: () => url,
  });
  const deps = { ...opts, transport, queue, log };
  const ordinary = createOrdinaryDeliveries(deps);

  const ping = async (target: string): Promise<PingResult> => {
    const message = "AssetPay callback URL test";
    const body = JSON.stringify({ test: true, timestamp: new Date().toISOString(), message });
    const record = log.add("ping", body);
    record.url = target;
    const result = await queue.track(
      transport.unsigned(record, target, opts.pingTimeoutMs, controller.signal),
    );
    const ok = is2xx(result);
    record.outcome = ok ? "delivered" : "failed";
    const out: PingResult = { ok };
    if (result.kind === "response") out.status = result.status;
    else out.error = result.error;
    return out;
  };

  const sender: CallbackSender = {
    url: () => url,
    setUrl(next) {
      url = next;
    },
    ping,
    event: (tradeId, tradeStatus, body) => ordinary.event(tradeId, tradeStatus, body, controller.signal),
    approval(tradeId, body) {
      const stop = controller.signal;
      return queue.enqueue(tradeId, () => runApproval(deps, tradeId, body, stop));
    },
    releaseHeld: (tradeId) => ordinary.releaseHeld(tradeId, controller.signal),
    heldTradeIds: () => ordinary.heldTradeIds(),
    busy: () => queue.busy(),
    idle: () => queue.idle(),
    deliveries: () => log.list(),
    reset() {
      controller.abort();
      controller = new AbortController();
      log.clear();
      queue.reset();
      ordinary.dropHeld();
    },
    async close() {
      controller.abort();
      ordinary.dropHeld();
      await queue.idle();
      await transport.close();
    },
  };
  return sender;
}
