/**
 * Delivering one claimed notice and settling it with the outbox: ack when sent; postpone (no
 * attempt counted) when the recipient's chat may not get a message yet or the platform answers
 * 429; retry with backoff after a failure; undeliverable — kept in the member's inbox — when
 * the member cannot be reached (closed DMs, blocked bot) or after MAX_ATTEMPTS. A member known
 * unreachable gets new notices straight in their inbox until a send to them succeeds again.
 *
 * Every settlement names this worker: only the lease holder's ack, retry or postpone counts.
 *
 * A person with one wallet on two platforms is not left waiting on the one they cannot be reached
 * on: a notice that finds its recipient unreachable is handed, once, to their other identity
 * (`reroute`, which asks the notice router), and kept in the inbox only when there is none.
 */
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
  /**
   * Edits the trade's receipt card when it is on this platform: true once the card shows the
   * notice, false when there is none here or it can no longer be edited. `deliver` does this
   * itself; this is for a notice that went to the member's other platform.
   */
  moveCard?(notice: Notice, locale: string): Promise<boolean>;
}

/** `rerouted`: handed to the person's other identity, where it is counted again as it goes out. */
export type DeliveryOutcome = "sent" | "retry" | "undeliverable" | "postponed" | "rate_limited" | "rerouted";

export const MAX_ATTEMPTS = 8;

/** Marks a notice handed on to another identity: it is never handed on again. */
export const REROUTED_SUFFIX = ":rerouted";

export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** attempts, 3_600_000);
}

export interface NoticeDeliveryDeps {
  outbox: Outbox;
  members: Members;
  notifiers: Notifier[];
  logger: Logger;
  defaultLocale: string;
  /** The lease holder's name every settlement is made under. */
  worker: string;
  now: () => number;
  onResult?: (outcome: DeliveryOutcome, platform: string) => void;
  /**
   * Enqueues the notice for another identity of the same person when the router picks one (the
   * recipient is already marked unreachable); false when there is none.
   */
  reroute?: (n: ClaimedNotice) => Promise<boolean>;
}

export function createNoticeDelivery(deps: NoticeDeliveryDeps): (n: ClaimedNotice) => Promise<void> {
  const { outbox, worker, now } = deps;
  const report = (outcome: DeliveryOutcome, n: ClaimedNotice) =>
    deps.onResult?.(outcome, n.recipient.platform);

  /** Unreachable here: on to the person's other identity if they have one, else the inbox. */
  const handOnOrKeep = async (n: ClaimedNotice, reason: string): Promise<DeliveryOutcome> => {
    if (deps.reroute && !n.key.endsWith(REROUTED_SUFFIX) && (await deps.reroute(n))) {
      await outbox.ack(n.id, worker);
      deps.logger.info(
        { notice: n.key, platform: n.recipient.platform },
        "notice handed to the member's other identity",
      );
      return "rerouted";
    }
    await outbox.undeliverable(n.id, worker, reason);
    return "undeliverable";
  };

  const failed = async (
    n: ClaimedNotice,
    memberId: string,
    result: Exclude<DeliveryResult, { ok: true }>,
  ) => {
    const where = { notice: n.key, platform: n.recipient.platform };
    if (result.rateLimited === true) {
      // Not the notice's fault: back in its line (its recipient's order kept), no attempt counted.
      await outbox.postpone(n.id, worker, Math.max(1, Math.ceil(result.retryAfterMs)));
      deps.logger.warn({ ...where, retryAfterMs: result.retryAfterMs }, "rate limited; notice postponed");
      report("rate_limited", n);
      return;
    }
    if (result.unreachable === true || n.attempts + 1 >= MAX_ATTEMPTS) {
      const reason = result.unreachable ? result.reason : `gave up: ${result.error}`;
      // Marked first, so the router sees this identity as unreachable when it picks another.
      await deps.members.update(memberId, (p) => {
        p.unreachable = { since: p.unreachable?.since ?? new Date(now()).toISOString(), reason };
        return p;
      });
      const outcome = await handOnOrKeep(n, reason);
      if (outcome === "undeliverable")
        deps.logger.info({ ...where, reason }, "notice undeliverable; kept in the member's inbox");
      report(outcome, n);
      return;
    }
    const delayMs = Math.max(result.retryAfterMs ?? 0, backoffMs(n.attempts));
    await outbox.retry(n.id, worker, { delayMs, error: result.error });
    deps.logger.warn({ ...where, error: result.error, delayMs }, "notice delivery failed; will retry");
    report("retry", n);
  };

  /**
   * A trade started on one platform whose notice went to the other (the member chose it with
   * /notify, or could not be reached where the trade began): the card they confirmed on still
   * follows the trade. Best effort — the notice itself has gone out.
   */
  const moveCardsElsewhere = async (n: ClaimedNotice, locale: string): Promise<void> => {
    for (const other of deps.notifiers) {
      if (other.platform === n.recipient.platform || !other.moveCard) continue;
      try {
        await other.moveCard(n.payload as Notice, locale);
      } catch (err) {
        deps.logger.info({ err, notice: n.key, platform: other.platform }, "receipt card not moved");
      }
    }
  };

  const handle = async (n: ClaimedNotice): Promise<void> => {
    // Looked up per notice: platforms register their notifier after the worker is built.
    const notifier = deps.notifiers.find((x) => x.platform === n.recipient.platform);
    if (!notifier) {
      // The platform is switched off on this instance; another instance (or a restart) will do it.
      await outbox.retry(n.id, worker, { delayMs: 60_000, error: "no notifier for platform" });
      return;
    }
    const waitMs = (await notifier.turn?.(n.recipient)) ?? 0;
    if (waitMs > 0) {
      await outbox.postpone(n.id, worker, waitMs);
      report("postponed", n);
      return;
    }
    const memberId = memberIdOf(n.recipient);
    const profile = await deps.members.get(memberId);
    if (profile.unreachable && !profile.unreachable.returnedAt) {
      // Known unreachable (blocked the bot, closed DMs): the notice goes straight to their
      // /inbox instead of another refused send; sends resume once they are back.
      report(await handOnOrKeep(n, `unreachable: ${profile.unreachable.reason}`), n);
      return;
    }
    const locale = localeOf(profile, deps.defaultLocale);
    let result: DeliveryResult;
    try {
      // Oldest notice first among those waiting for a slot here (see pacing.ts).
      result = await deliveringNotice(n.createdAt, () =>
        notifier.deliver(n.recipient, n.payload as Notice, locale),
      );
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (!result.ok) return failed(n, memberId, result);
    await outbox.ack(n.id, worker);
    await moveCardsElsewhere(n, locale);
    if (profile.unreachable) {
      await deps.members.update(memberId, (p) => {
        delete p.unreachable;
        return p;
      });
    }
    report("sent", n);
  };

  return handle;
}
