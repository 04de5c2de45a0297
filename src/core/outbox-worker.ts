/**
 * Delivers the outbox: claims due notices under a lease (so several instances never send one
 * twice at once), hands each to the notifier of the member's platform, and acks, retries with
 * backoff, or records it as undeliverable (closed DMs, blocked bot) in the member's inbox.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ClaimedNotice, Outbox } from "../store/outbox.ts";
import { localeOf, type Members, memberIdOf } from "./members.ts";
import type { Notice, Recipient } from "./notifications.ts";

export type DeliveryResult =
  | { ok: true }
  | { ok: false; unreachable: true; reason: string }
  | { ok: false; unreachable?: false; error: string; retryAfterMs?: number };

export interface Notifier {
  platform: string;
  deliver(recipient: Recipient, notice: Notice, locale: string): Promise<DeliveryResult>;
}

export interface OutboxWorker {
  start(): void;
  /** Stops claiming and waits for the deliveries in flight. */
  stop(): Promise<void>;
  /** Runs one claim-and-deliver round now; resolves with how many notices it handled. */
  drain(): Promise<number>;
  /** Wakes the worker early (something was just enqueued). */
  kick(): void;
}

export const MAX_ATTEMPTS = 8;

export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** attempts, 3_600_000);
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
  onResult?: (outcome: "sent" | "retry" | "undeliverable") => void;
}): OutboxWorker {
  const worker = `w-${randomUUID().slice(0, 8)}`;
  const pollMs = deps.pollMs ?? 500;
  const leaseMs = deps.leaseMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let current: Promise<number> | undefined;

  const handle = async (n: ClaimedNotice): Promise<void> => {
    // Bindings per line rather than a child logger per notice (cheaper on the hot path).
    const where = { notice: n.key, platform: n.recipient.platform };
    // Looked up per notice: platforms register their notifier after the worker is built.
    const notifier = deps.notifiers.find((x) => x.platform === n.recipient.platform);
    if (!notifier) {
      // The platform is switched off on this instance; another instance (or a restart) will do it.
      await deps.outbox.retry(n.id, worker, { delayMs: 60_000, error: "no notifier for platform" });
      return;
    }
    const memberId = memberIdOf(n.recipient);
    const profile = await deps.members.get(memberId);
    if (profile.unreachable && !profile.unreachable.returnedAt) {
      // Known unreachable (blocked the bot, closed DMs): the notice goes straight to their
      // /inbox instead of another refused send; sends resume once they are back.
      await deps.outbox.undeliverable(n.id, worker, `unreachable: ${profile.unreachable.reason}`);
      deps.onResult?.("undeliverable");
      return;
    }
    let result: DeliveryResult;
    try {
      result = await notifier.deliver(
        n.recipient,
        n.payload as Notice,
        localeOf(profile, deps.defaultLocale),
      );
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (result.ok) {
      await deps.outbox.ack(n.id, worker);
      if (profile.unreachable) {
        await deps.members.update(memberId, (p) => {
          delete p.unreachable;
          return p;
        });
      }
      deps.onResult?.("sent");
      return;
    }
    if (result.unreachable || n.attempts + 1 >= MAX_ATTEMPTS) {
      const reason = result.unreachable ? result.reason : `gave up: ${result.error}`;
      await deps.outbox.undeliverable(n.id, worker, reason);
      await deps.members.update(memberId, (p) => {
        p.unreachable = { since: p.unreachable?.since ?? new Date().toISOString(), reason };
        return p;
      });
      deps.logger.info({ ...where, reason }, "notice undeliverable; kept in the member's inbox");
      deps.onResult?.("undeliverable");
      return;
    }
    const delayMs = Math.max(result.retryAfterMs ?? 0, backoffMs(n.attempts));
    await deps.outbox.retry(n.id, worker, { delayMs, error: result.error });
    deps.logger.warn({ ...where, error: result.error, delayMs }, "notice delivery failed; will retry");
    deps.onResult?.("retry");
  };

  const round = async (): Promise<number> => {
    const claimed = await deps.outbox.claim({ worker, max: deps.concurrency * 4, leaseMs });
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) {
        const n = claimed[next++] as ClaimedNotice;
        await handle(n).catch((err) => deps.logger.error({ err, notice: n.key }, "notice handling crashed"));
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.concurrency, claimed.length) }, lane));
    return claimed.length;
  };

  const drain = (): Promise<number> => {
    // One round at a time per instance; a kick during a round waits for it.
    current = (current ?? Promise.resolve(0)).then(round, round);
    return current;
  };

  const schedule = (ms: number) => {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      let handled = 0;
      try {
        handled = await drain();
      } catch (err) {
        deps.logger.error({ err }, "outbox round failed");
      }
      schedule(handled > 0 ? 0 : pollMs);
    }, ms);
  };

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await current?.catch(() => 0);
    },
    drain,
    kick() {
      schedule(0);
    },
  };
}
