/** The member's own views: balance, trades (with cancelling a slow withdrawal), inbox, help. */
import { memberIdOf, parseMemberId } from "../src/core/members.ts";
import {
  balanceView,
  CANCEL_BUTTONS,
  helpView,
  inboxView,
  tradesView,
} from "../src/ui/views/account-views.ts";
import { type CommandDefinition, view } from "./types.ts";

export const balance: CommandDefinition = {
  name: "balance",
  descriptionKey: "commands.balance.description",
  options: [],
  async run(ctx) {
    const [balance, journal] = await Promise.all([
      ctx.core.ledger.balance(ctx.memberId),
      ctx.core.ledger.journal(ctx.memberId, { limit: 5 }),
    ]);
    return view(balanceView(ctx.core.i18n, ctx.locale, balance, journal));
  },
};

export const trades: CommandDefinition = {
  name: "trades",
  descriptionKey: "commands.trades.description",
  options: [],
  async run(ctx) {
    const { records, trading } = ctx.core;
    const recent = await trading.withLiveStatus(await records.ofMember(ctx.memberId, 10));
    // Withdrawals whose items are still being sourced can be cancelled (AssetPay's 30-minute rule).
    const cancellable = recent.filter(
      (r) => r.kind === "withdraw" && r.source === "client" && r.tradeId && r.status === "pending",
    );
    if (cancellable.length === 0) return view(tradesView(ctx.core.i18n, ctx.locale, recent));
    const session = await ctx.core.choices.offerCancels(
      ctx.memberId,
      cancellable.slice(0, CANCEL_BUTTONS).map((r) => r.tradeId as string),
    );
    const { autoCancelMinutes } = ctx.core.config.assetpay;
    return view(
      tradesView(ctx.core.i18n, ctx.locale, recent, {
        session,
        records: cancellable,
        ...(autoCancelMinutes !== undefined ? { autoCancelMinutes } : {}),
      }),
    );
  },
};

export const inbox: CommandDefinition = {
  name: "inbox",
  descriptionKey: "commands.inbox.description",
  options: [],
  async run(ctx) {
    // A wallet shared across platforms: its notices may have been routed to this chat identity.
    const recipients = [...new Set([ctx.memberId, memberIdOf(ctx.member)])]
      .map(parseMemberId)
      .filter((r) => r !== null);
    const inboxes = await Promise.all(recipients.map((r) => ctx.core.outbox.inbox(r, { limit: 20 })));
    const notices = inboxes.flat().slice(0, 20);
    const page = inboxView(ctx.core.i18n, ctx.locale, notices);
    // Read once: when every notice fit on the page it is cleared, so the next /inbox shows only
    // newer misses; otherwise they stay until the member has seen them all.
    if (notices.length > 0 && page.blocks.length === notices.length)
      await Promise.all(recipients.map((r) => ctx.core.outbox.clearInbox(r)));
    return view(page);
  },
};

export const help: CommandDefinition = {
  name: "help",
  descriptionKey: "commands.help.description",
  options: [],
  async run(ctx) {
    return view(helpView(ctx.core.i18n, ctx.locale, ctx.isAdmin));
  },
};
