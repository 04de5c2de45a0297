/**
 * Ordinary deliveries: every transition's callback. They keep their delivery id across retries
 * and are retried with exponential backoff on a non-2xx answer, a timeout or a network error.
 * Delivery faults apply here: a dropped one is never sent, a held one (reorder) goes out right
 * after its trade's next delivery, or when released.
 */
import type { DeliveryFaults, Faults } from "../faults.ts";
import type { SandboxLogger } from "../logger.ts";
import type { Sleep } from "../sleep.ts";
import type { DeliveryQueue } from "./queue.ts";
import type { DeliveryLog, DeliveryRecord } from "./records.ts";
import { backoff, type RetryPolicy } from "./retry.ts";
import { type CallbackTransport, is2xx } from "./transport.ts";

export interface OrdinaryDeps {
  transport: CallbackTransport;
  queue: DeliveryQueue;
  log: DeliveryLog;
  faults: Faults;
  logger: SandboxLogger;
  retry: RetryPolicy;
  deliveryTimeoutMs: number;
  sleep: Sleep;
}

export interface OrdinaryDeliveries {
  /** Queues a delivery; resolves once it was delivered, failed, dropped or held back. */
  event(tradeId: string, tradeStatus: string, body: string, stop: AbortSignal): Promise<void>;
  /** Sends the held deliveries of one trade, or of all, each in its trade's order. */
  releaseHeld(tradeId: string | undefined, stop: AbortSignal): Promise<void>;
  heldTradeIds(): string[];
  /** Forgets the held deliveries (they are never sent). */
  dropHeld(): void;
}

type Held = { record: DeliveryRecord; faults: DeliveryFaults };

/** The names of the faults that apply, as the record lists them. */
function faultNames(faults: DeliveryFaults): string[] {
  const on = {
    drop: faults.drop,
    duplicate: faults.duplicate,
    reorder: faults.reorder,
    corrupt: faults.corrupt,
    delay: faults.delayMs > 0,
  };
  return Object.entries(on)
    .filter(([, applies]) => applies)
    .map(([name]) => name);
}

/** Sends `record` until a 2xx or the last attempt; then its duplicate, if the fault says so. */
async function send(
  deps: OrdinaryDeps,
  record: DeliveryRecord,
  faults: DeliveryFaults,
  stop: AbortSignal,
): Promise<void> {
  if (faults.delayMs > 0) await deps.sleep(faults.delayMs, stop);
  for (let attempt = 1; ; attempt++) {
    const corrupt = faults.corrupt && attempt === 1;
    const result = await deps.transport.signed(record, deps.deliveryTimeoutMs, stop, { corrupt });
    if (result === undefined) {
      record.outcome = "skipped";
      return;
    }
    if (is2xx(result)) {
      record.outcome = "delivered";
      break;
    }
    if (attempt >= deps.retry.attempts) {
      record.outcome = "failed";
      deps.logger.warn(
        { deliveryId: record.deliveryId, tradeId: record.tradeId },
        "sandbox callback gave up",
      );
      break;
    }
    await deps.sleep(backoff(deps.retry, attempt), stop);
  }
  if (faults.duplicate)
    await deps.transport.signed(record, deps.deliveryTimeoutMs, stop, { duplicate: true });
}

export function createOrdinaryDeliveries(deps: OrdinaryDeps): OrdinaryDeliveries {
  let held = new Map<string, Held[]>();

  const hold = (tradeId: string, entry: Held): void => {
    entry.record.outcome = "held";
    held.set(tradeId, [...(held.get(tradeId) ?? []), entry]);
  };

  const flushHeld = async (tradeId: string, stop: AbortSignal): Promise<void> => {
    const waiting = held.get(tradeId);
    if (!waiting?.length) return;
    held.delete(tradeId);
    for (const h of waiting) await send(deps, h.record, { ...h.faults, reorder: false }, stop);
  };

  return {
    event(tradeId, tradeStatus, body, stop) {
      const record = deps.log.add("event", body, tradeId, tradeStatus);
      const faults = deps.faults.decide();
      record.faults.push(...faultNames(faults));
      return deps.queue
        .enqueue(tradeId, async () => {
          if (faults.drop) record.outcome = "dropped";
          else if (faults.reorder) hold(tradeId, { record, faults });
          else {
            await send(deps, record, faults, stop);
            await flushHeld(tradeId, stop);
          }
        })
        .catch((err) => {
          if (!stop.aborted) deps.logger.error({ err, tradeId }, "sandbox callback delivery crashed");
        });
    },
    async releaseHeld(tradeId, stop) {
      const ids = tradeId === undefined ? [...held.keys()] : [tradeId];
      await Promise.all(
        ids.map((id) => deps.queue.enqueue(id, () => flushHeld(id, stop)).catch(() => undefined)),
      );
    },
    heldTradeIds: () => [...held.keys()],
    dropHeld() {
      held = new Map();
    },
  };
}
