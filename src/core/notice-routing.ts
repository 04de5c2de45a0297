/**
 * Which chat identity a member notice goes to, for a person with one wallet on several platforms.
 * In order: the identity they chose with /notify; else, for a trade's notice, the identity the
 * trade was started from; else the identity they used last. When that identity is known to be
 * unreachable (closed DMs, bot blocked) and another identity of the wallet is not, the notice
 * goes there instead, so it is read rather than waiting in an inbox nobody opens.
 */
import type { Identities } from "./identities.ts";
import type { MemberId } from "./ledger.ts";
import type { Members } from "./members.ts";

export interface RouteInput {
  /** Who the notice is addressed to: a wallet, or the chat identity a trade was started from. */
  to: MemberId;
  /** `to` is the identity the trade was started from (not just the wallet's id). */
  fromTrade: boolean;
}

export interface RouteFacts {
  /** The wallet's identities, the wallet's own first. */
  identities: readonly MemberId[];
  chosen?: MemberId | undefined;
  lastUsed: MemberId;
  unreachable: ReadonlySet<MemberId>;
}

/** The decision itself, on facts already read. */
export function pickNoticeRecipient(input: RouteInput, facts: RouteFacts): MemberId {
  const joined = (id: MemberId | undefined) => id !== undefined && facts.identities.includes(id);
  const preferred = joined(facts.chosen)
    ? (facts.chosen as MemberId)
    : input.fromTrade && joined(input.to)
      ? input.to
      : joined(facts.lastUsed)
        ? facts.lastUsed
        : input.to;
  if (!facts.unreachable.has(preferred)) return preferred;
  return facts.identities.find((id) => id !== preferred && !facts.unreachable.has(id)) ?? preferred;
}

export type NoticeRouter = (input: RouteInput) => Promise<MemberId>;

export function createNoticeRouter(deps: {
  identities: Identities;
  members: Pick<Members, "get">;
}): NoticeRouter {
  const { identities, members } = deps;
  return async (input) => {
    if (await identities.standsAlone(input.to)) return input.to;
    const wallet = await identities.resolve(input.to);
    const all = await identities.identitiesOf(wallet);
    // A wallet nobody joined has one place to go: no reads beyond these.
    if (all.length < 2) return input.to;
    const [chosen, lastUsed, profiles] = await Promise.all([
      identities.chosenForNotices(wallet),
      identities.recipientFor(wallet),
      Promise.all(all.map((id) => members.get(id))),
    ]);
    const unreachable = new Set(profiles.filter((p) => p.unreachable).map((p) => p.memberId));
    return pickNoticeRecipient(input, { identities: all, chosen, lastUsed, unreachable });
  };
}
