/**
 * The notice queue the core enqueues on: each notice names the member by the name they go by,
 * goes to the platform the person should hear it on (one wallet may have a Discord and a
 * Telegram identity), lands in the outbox, and wakes the worker.
 */
import type { Identities } from "../core/identities.ts";
import { type Members, memberIdOf, parseMemberId } from "../core/members.ts";
import { REROUTED_SUFFIX } from "../core/notice-delivery.ts";
import { createNoticeRouter } from "../core/notice-routing.ts";
import type { Notice, NoticeQueue, Recipient } from "../core/notifications.ts";
import type { ClaimedNotice, Outbox } from "../core/outbox.ts";

/** A moderators' alert names the member by the name they go by, not the internal id. */
async function withMemberName<T extends { payload: Notice }>(members: Members, input: T): Promise<T> {
  const id = input.payload.memberId;
  if (id === undefined || input.payload.memberName !== undefined) return input;
  const displayName = await members.nameOf(id);
  return displayName ? { ...input, payload: { ...input.payload, memberName: displayName } } : input;
}

export interface AppNoticeQueue extends NoticeQueue {
  /**
   * A notice its recipient could not get, enqueued again for the identity the router now picks
   * (the recipient is marked unreachable by then); false when that is the same recipient.
   */
  reroute(n: ClaimedNotice): Promise<boolean>;
}

export function createAppNoticeQueue(deps: {
  members: Members;
  identities: Identities;
  outbox: Outbox;
  /** Something was just enqueued. */
  kick: () => void;
}): AppNoticeQueue {
  const { members, outbox } = deps;
  // A person with one wallet on several platforms is told where they chose, else where the trade
  // was started, else where they were last; on the other platform when DMs are closed there.
  const noticeRouter = createNoticeRouter({ identities: deps.identities, members });
  const route = async (recipient: Recipient, fromTrade: boolean): Promise<Recipient> => {
    const addressed = memberIdOf(recipient);
    const to = parseMemberId(await noticeRouter({ to: addressed, fromTrade }));
    return to && memberIdOf(to) !== addressed
      ? { ...recipient, platform: to.platform, userId: to.userId }
      : recipient;
  };
  return {
    async enqueue({ fromTrade, ...input }) {
      // Independent reads (the name goes in the payload, the route picks the recipient): together.
      const [named, recipient] = await Promise.all([
        withMemberName(members, input),
        route(input.recipient, fromTrade === true),
      ]);
      const r = await outbox.enqueue({ ...named, recipient });
      if (r.enqueued) deps.kick();
      return r;
    },
    async reroute(n) {
      const to = await route(n.recipient, false);
      if (memberIdOf(to) === memberIdOf(n.recipient)) return false;
      const r = await outbox.enqueue({
        key: `${n.key}${REROUTED_SUFFIX}`,
        recipient: to,
        payload: n.payload as Notice,
      });
      if (r.enqueued) deps.kick();
      return true;
    },
  };
}
