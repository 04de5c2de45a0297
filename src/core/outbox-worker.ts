/**
 * Delivers the outbox: claims due notices under a lease (so several instances never send one
 * twice at once), hands each to the notifier of the member's platform, and acks, retries with
 * backoff, or records it as undeliverable (closed DMs, blocked bot) in the member's inbox.
 *
 * Workers run side by side and each claims again as soon as it is free (no batch waits for its
 * slowest member). The outbox hands out at most one notice per recipient at a time, so a
 * member's DMs keep their order at any concurrency. Nothing here waits for a platform's limits:
 * a chat that may not get a message yet, or a 429 that still arrives, sends the notice back to
 * the outbox for later (postponed, no attempt counted) and the worker takes another recipient's.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Members } from "./members.ts";
import { createNoticeDelivery, type DeliveryOutcome, type Notifier } from "./notice-delivery.ts";
import type { ClaimedNotice, Outbox } from "./outbox.ts";

export {
  backoffMs,
  type DeliveryOutcome,
  type DeliveryResult,
  MAX_ATTEMPTS,
  type Notifier,
} from "./notice-delivery.ts";

export interface OutboxWorker {
  start(): void;
  /** Stops claiming and waits for the deliveries in flight. */
  stop(): Promise<void>;
  /** Claims what is due now and resolves, with how many notices it handled, once they are done. */
  drain(): Promise<number>;
  /** Wakes the worker early (something was just enqueued). */
  kick(): void;
  /** Notices being delivered by this instance right now. */
  inFlight(): number;
}

export function createOutboxWorker(deps: {
  outbox: Outbox;
  members: Members;
  notifiers: Notifier[];
  logger: Logger;
  defaultLocale: string;
  concurrency: number;
  pollMs?: number;
  leaseMs?: number;
  onResult?: (outcome: DeliveryOutcome, platform: string) => void;
  /** Epoch ms; `Date.now` by default. */
  now?: () => number;
  /** Hands a notice its recipient cannot get to another identity of the same person (see notice-delivery.ts). */
  reroute?: (n: ClaimedNotice) => Promise<boolean>;
}): OutboxWorker {
  const worker = `w-${randomUUID().slice(0, 8)}`;
  const pollMs = deps.pollMs ?? 250;
  const leaseMs = deps.leaseMs ?? 60_000;
  const now = deps.now ?? (() => Date.now());
  const active = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let claiming: Promise<number> | undefined;

  const handle = createNoticeDelivery({ ...deps, worker, now });

  const launch = (n: ClaimedNotice) => {
    const job: Promise<void> = handle(n)
      .catch((err) => deps.logger.error({ err, notice: n.key }, "notice handling crashed"))
      .finally(() => {
        active.delete(job);
        pump();
      });
    active.add(job);
  };

  /** Claims as many notices as there are free workers, once at a time per instance. */
  const claimFree = (): Promise<number> => {
    claiming ??= (async () => {
      const free = deps.concurrency - active.size;
      if (free <= 0) return 0;
      const claimed = await deps.outbox.claim({ worker, max: free, leaseMs });
      for (const n of claimed) launch(n);
      return claimed.length;
    })().finally(() => {
      claiming = undefined;
    });
    return claiming;
  };

  const sleepUntilDue = async () => {
    const next = await deps.outbox.nextDueAt();
    const ms = next === undefined ? pollMs : Math.min(pollMs, Math.max(0, next - now()));
    schedule(ms);
  };

  // Claims whenever a worker is free; sleeps until the next notice is due (or a poll, for
  // notices another instance enqueued) when nothing is.
  function pump(): void {
    if (!running || active.size >= deps.concurrency) return;
    claimFree()
      .then((got) => (got > 0 ? pump() : active.size === 0 ? sleepUntilDue() : schedule(pollMs)))
      .catch((err) => {
        deps.logger.error({ err }, "outbox claim failed");
        schedule(pollMs);
      });
  }

  function schedule(ms: number): void {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(pump, ms);
  }

  return {
    start() {
      if (running) return;
      running = true;
      pump();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await claiming?.catch(() => 0);
      await Promise.all([...active]);
    },
    async drain() {
      const before = new Set(active);
      const got = await claimFree();
      await Promise.all([...active].filter((job) => !before.has(job)));
      return got;
    },
    kick() {
      if (running) pump();
    },
    inFlight: () => active.size,
  };
}
