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
import { localeOf, type Members, memberIdOf } from "./members.ts";
import type { Notice, Recipient } from "./notifications.ts";
import type { ClaimedNotice, Outbox } from "./outbox.ts";
import { deliveringNotice } from "./pacing.ts";

export type DeliveryResult =
  | { ok: true }
  | { ok: false; unreachable: true; rateLimited?: false; reason: string }
  /** The platform answered 429: try again after `retryAfterMs`; the notice did nothing wrong. */
  | { ok: false; unreachable?: false; rateLimited: true; retryAfterMs: number }
  | { ok: false; unreachable?: false; rateLimited?: false; error: string; retryAfterMs?: number };

export interface Notifier {
  platform: string;
  /**
   * Takes the recipient's chat turn if the platform allows a message to it now (0), else the
   * ms until it does, taking nothing. Without it every chat is always free.
   */
  turn?(recipient: Recipient): Promise<number>;
  deliver(recipient: Recipient, notice: Notice, locale: string): Promise<DeliveryResult>;
}

export type DeliveryOutcome = "sent" | "retry" | "undeliverable" | "postponed" | "rate_limited";

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
  onResult?: (outcome: DeliveryOutcome, platform: string) => void;
  /** Epoch ms; `Date.now` by default. */
  now?: () => number;
}): OutboxWorker {
  const worker = `w-${randomUUID().slice(0, 8)}`;
  const pollMs = deps.pollMs ?? 250;
  const leaseMs = deps.leaseMs ?? 60_000;
  const now = deps.now ?? (() => Date.now());
  const active = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let claiming: Promise<number> | undefined;

  const report = (outcome: DeliveryOutcome, n: ClaimedNotice) =>
    deps.onResult?.(outcome, n.recipient.platform);

  const failed = async (
    n: ClaimedNotice,
    memberId: string,
    result: Exclude<DeliveryResult, { ok: true }>,
  ) => {
    const where = { notice: n.key, platform: n.recipient.platform };
    if (result.rateLimited === true) {
      // Not the notice's fault: back in its line (its recipient's order kept), no attempt counted.
      await deps.outbox.postpone(n.id, worker, Math.max(1, Math.ceil(result.retryAfterMs)));
      deps.logger.warn({ ...where, retryAfterMs: result.retryAfterMs }, "rate limited; notice postponed");
      report("rate_limited", n);
      return;
    }
    if (result.unreachable === true || n.attempts + 1 >= MAX_ATTEMPTS) {
      const reason = result.unreachable ? result.reason : `gave up: ${result.error}`;
      await deps.outbox.undeliverable(n.id, worker, reason);
      await deps.members.update(memberId, (p) => {
        p.unreachable = { since: p.unreachable?.since ?? new Date(now()).toISOString(), reason };
        return p;
      });
      deps.logger.info({ ...where, reason }, "notice undeliverable; kept in the member's inbox");
      report("undeliverable", n);
      return;
    }
    const delayMs = Math.max(result.retryAfterMs ?? 0, backoffMs(n.attempts));
    await deps.outbox.retry(n.id, worker, { delayMs, error: result.error });
    deps.logger.warn({ ...where, error: result.error, delayMs }, "notice delivery failed; will retry");
    report("retry", n);
  };

  const handle = async (n: ClaimedNotice): Promise<void> => {
    // Looked up per notice: platforms register their notifier after the worker is built.
    const notifier = deps.notifiers.find((x) => x.platform === n.recipient.platform);
    if (!notifier) {
      // The platform is switched off on this instance; another instance (or a restart) will do it.
      await deps.outbox.retry(n.id, worker, { delayMs: 60_000, error: "no notifier for platform" });
      return;
    }
    const waitMs = (await notifier.turn?.(n.recipient)) ?? 0;
    if (waitMs > 0) {
      await deps.outbox.postpone(n.id, worker, waitMs);
      report("postponed", n);
      return;
    }
    const memberId = memberIdOf(n.recipient);
    const profile = await deps.members.get(memberId);
    if (profile.unreachable && !profile.unreachable.returnedAt) {
      // Known unreachable (blocked the bot, closed DMs): the notice goes straight to their
      // /inbox instead of another refused send; sends resume once they are back.
      await deps.outbox.undeliverable(n.id, worker, `unreachable: ${profile.unreachable.reason}`);
      report("undeliverable", n);
      return;
    }
    let result: DeliveryResult;
    try {
      const locale = localeOf(profile, deps.defaultLocale);
      // Oldest notice first among those waiting for a slot here (see pacing.ts).
      result = await deliveringNotice(n.createdAt, () =>
        notifier.deliver(n.recipient, n.payload as Notice, locale),
      );
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (!result.ok) return failed(n, memberId, result);
    await deps.outbox.ack(n.id, worker);
    if (profile.unreachable) {
      await deps.members.update(memberId, (p) => {
        delete p.unreachable;
        return p;
      });
    }
    report("sent", n);
  };

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
