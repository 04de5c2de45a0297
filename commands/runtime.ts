/**
 * What both platforms call: run a command, answer a button or select press, autocomplete.
 * Every refusal (core or AssetPay) becomes a localized view here, once; a crash becomes the
 * generic "nothing was charged" message and a log line, never a dead adapter.
 */
import { randomUUID } from "node:crypto";
import { CoreError, isCoreError, upstreamErrorKey } from "../src/core/errors.ts";
import { type MemberRef, memberIdOf, parseMemberId } from "../src/core/members.ts";
import { ACTIONS, type ActionRef } from "../src/ui/action-id.ts";
import type { Locale } from "../src/ui/i18n.ts";
import { isLocale } from "../src/ui/locales.ts";
import { message, text, type View } from "../src/ui/view.ts";
import { languageView } from "../src/ui/views/account-views.ts";
import { errorText, errorView } from "../src/ui/views/error-view.ts";
import { receiptView } from "../src/ui/views/trade-views.ts";
import { auditPage } from "./admin.ts";
import { COMMANDS } from "./index.ts";
import { confirmSignIn } from "./link.ts";
import { memberName } from "./member-names.ts";
import { pickerReply } from "./picker-reply.ts";
import type { Args, Caps, CommandContext, CommandCore, Reply } from "./types.ts";
import { openWithdrawFromSearch } from "./withdraw.ts";

export interface Invocation {
  member: MemberRef;
  isAdmin: boolean;
  caps: Caps;
  requestId?: string;
}

export async function contextFor(core: CommandCore, inv: Invocation): Promise<CommandContext> {
  const profile = await core.members.touch(inv.member);
  const chatId = memberIdOf(inv.member);
  // A chat identity joined to another's wallet acts as that wallet everywhere below.
  const memberId = await core.identities.resolve(chatId);
  await core.identities.noteUse(chatId, memberId);
  const locale = (
    profile.localeOverride && isLocale(profile.localeOverride) ? profile.localeOverride : inv.member.locale
  ) as Locale;
  return {
    core,
    member: inv.member,
    memberId,
    locale: isLocale(locale) ? locale : core.i18n.defaultLocale,
    isAdmin: inv.isAdmin,
    requestId: inv.requestId ?? randomUUID(),
    caps: inv.caps,
  };
}

function failureView(ctx: CommandContext, err: unknown): View {
  if (!isCoreError(err) && upstreamErrorKey(err) === undefined) {
    ctx.core.logger.error({ err, memberId: ctx.memberId }, "command failed");
  } else {
    ctx.core.logger.info(
      { memberId: ctx.memberId, refusal: isCoreError(err) ? err.key : upstreamErrorKey(err) },
      "refused",
    );
  }
  return errorView(ctx.core.i18n, ctx.locale, err);
}

/**
 * A member marked unreachable who interacts is back: they are told once what happened (DMs
 * failing, or — after unblocking the bot — that what they missed is in /inbox) and the mark is
 * lifted, so notices are sent to them again; a DM that fails again marks them again.
 */
async function withReachabilityNotice(ctx: CommandContext, view: View): Promise<View> {
  const { members, outbox, i18n } = ctx.core;
  const away = (await members.get(ctx.memberId)).unreachable;
  if (!away) return view;
  await members.update(ctx.memberId, (p) => {
    delete p.unreachable;
    return p;
  });
  let note: string | undefined;
  if (away.returnedAt) {
    const recipient = parseMemberId(ctx.memberId);
    const missed = recipient ? await outbox.inbox(recipient, { limit: 1 }) : [];
    if (missed.length > 0) note = i18n.t(ctx.locale, "inbox.missedWhileAway");
  } else if (!away.told) {
    note = i18n.t(ctx.locale, "inbox.dmClosed");
  }
  return note === undefined ? view : { ...view, blocks: [...view.blocks, text(note)] };
}

export async function runCommand(
  core: CommandCore,
  inv: Invocation,
  name: string,
  args: Args,
  subcommand?: string,
): Promise<Reply> {
  const ctx = await contextFor(core, inv);
  const def = COMMANDS.find((c) => c.name === name);
  try {
    if (!def) throw new CoreError("internal");
    if (def.adminOnly && !ctx.isAdmin) throw new CoreError("notAdmin");
    const reply = await def.run(ctx, args, subcommand);
    if (reply.kind === "view") return { kind: "view", view: await withReachabilityNotice(ctx, reply.view) };
    return reply;
  } catch (err) {
    return { kind: "view", view: failureView(ctx, err) };
  }
}

/** The refusal a command would give whatever the member answers, before asking them; else undefined. */
export async function precheckCommand(
  core: CommandCore,
  inv: Invocation,
  name: string,
): Promise<View | undefined> {
  const def = COMMANDS.find((c) => c.name === name);
  if (!def?.precheck) return undefined;
  const ctx = await contextFor(core, inv);
  try {
    await def.precheck(ctx);
    return undefined;
  } catch (err) {
    return failureView(ctx, err);
  }
}

export async function autocomplete(
  core: CommandCore,
  inv: Invocation,
  name: string,
  option: string,
  value: string,
  filled: Args = {},
): Promise<{ name: string; value: string }[]> {
  const ctx = await contextFor(core, inv);
  const def = COMMANDS.find((c) => c.name === name);
  if (!def?.autocomplete) return [];
  try {
    return (await def.autocomplete(ctx, option, value, filled)).slice(0, 25);
  } catch (err) {
    core.logger.debug({ err }, "autocomplete failed");
    return [];
  }
}

/**
 * What a press produced: the next state of the message pressed, or a refusal (expired, someone
 * else's, already confirmed) that an adapter shows apart from it, so a second click never
 * overwrites the receipt of the first and a refusal never replaces another member's picker.
 */
export interface ActionAnswer {
  view: View;
  refused: boolean;
  /** A confirm that started a trade: its id, for the adapter to remember the receipt card by. */
  tradeId?: string;
}

/** A press on a button or select the core rendered. `values` are a Discord select's choices. */
export async function handleAction(
  core: CommandCore,
  inv: Invocation,
  ref: ActionRef,
  values?: string[],
): Promise<View> {
  return (await answerAction(core, inv, ref, values)).view;
}

/** Like `handleAction`, and says whether the answer is a refusal. */
export async function answerAction(
  core: CommandCore,
  inv: Invocation,
  ref: ActionRef,
  values?: string[],
): Promise<ActionAnswer> {
  const ctx = await contextFor(core, inv);
  try {
    if (ref.action === ACTIONS.pickConfirm) return { ...(await confirmPicker(ctx, ref)), refused: false };
    return { view: await actionView(ctx, ref, values), refused: false };
  } catch (err) {
    return { view: failureView(ctx, err), refused: true };
  }
}

/**
 * Why a refused confirm keeps the picker on screen, for the cases where trying again from it
 * helps (new prices, not enough balance, a community wallet to top up), or undefined when the
 * refusal is shown apart.
 */
async function stayInPicker(
  ctx: CommandContext,
  sessionId: string,
  err: unknown,
): Promise<string | undefined> {
  const { i18n } = ctx.core;
  if (upstreamErrorKey(err) === "PRICE_CHANGED" || (isCoreError(err) && err.key === "insufficientBalance")) {
    return errorText(i18n, ctx.locale, err);
  }
  // AssetPay's words are for members ("your balance is safe"); the admin whose giveaway the
  // merchant wallet cannot pay needs to see the wallet itself.
  if (upstreamErrorKey(err) === "MERCHANT_BALANCE_LOW") {
    if (!(await ctx.core.trading.load(ctx.memberId, sessionId)).self) return undefined;
    const wallet = await ctx.core.admin.wallet();
    if (!wallet) return undefined;
    return i18n.t(ctx.locale, "admin.walletLow", { balance: i18n.money(ctx.locale, wallet.balanceCents) });
  }
  return undefined;
}

/** Starts the picker's trade and answers with its receipt (and the trade's id, when it started). */
async function confirmPicker(ctx: CommandContext, ref: ActionRef): Promise<{ view: View; tradeId?: string }> {
  const { core } = ctx;
  const { trading } = core;
  // A community self-trade moves the merchant wallet: the rights that opened the picker (up to
  // its TTL ago) may be gone, so they are checked again now, at the press that spends.
  if (!ctx.isAdmin && (await trading.load(ctx.memberId, ref.session)).self) throw new CoreError("notAdmin");
  try {
    const result = await trading.confirm(ctx.memberId, ref.session, memberIdOf(ctx.member));
    const recipient = result.record.recipientId;
    const names = recipient ? { recipientName: await memberName(core, ctx.locale, recipient) } : {};
    const view = await withReachabilityNotice(ctx, receiptView(core.i18n, ctx.locale, result, names));
    return result.trade && !result.pending ? { view, tradeId: result.trade.id } : { view };
  } catch (err) {
    const warning = await stayInPicker(ctx, ref.session, err);
    if (warning === undefined) throw err;
    const v = await pickerReply(ctx, await trading.load(ctx.memberId, ref.session));
    return { view: { ...v, tone: "warning", blocks: [text({ text: warning, bold: true }), ...v.blocks] } };
  }
}

async function actionView(ctx: CommandContext, ref: ActionRef, values?: string[]): Promise<View> {
  const { core } = ctx;
  const { trading } = core;
  switch (ref.action) {
    case ACTIONS.pickPage:
      return await pickerReply(
        ctx,
        await trading.act(ctx.memberId, ref.session, { kind: "page", page: Number(ref.arg ?? 0) }),
      );
    case ACTIONS.pickToggle:
      return await pickerReply(
        ctx,
        await trading.act(ctx.memberId, ref.session, { kind: "toggle", index: Number(ref.arg) }),
      );
    case ACTIONS.pickSelect: {
      // Discord sends the page's chosen values; Telegram one option per press (its `arg`).
      if (values !== undefined) {
        const s = await trading.load(ctx.memberId, ref.session);
        const ids = values
          .map((v) => s.entries[Number(v)]?.id)
          .filter((id): id is string => id !== undefined);
        return await pickerReply(ctx, await trading.act(ctx.memberId, ref.session, { kind: "select", ids }));
      }
      return await pickerReply(
        ctx,
        await trading.act(ctx.memberId, ref.session, { kind: "toggle", index: Number(ref.arg) }),
      );
    }
    case ACTIONS.pickQuantity: {
      // `index:amount`: the stack's place in the list and the quantity the button sets.
      const [index, amount] = String(ref.arg ?? "")
        .split(":")
        .map(Number);
      return await pickerReply(
        ctx,
        await trading.act(ctx.memberId, ref.session, {
          kind: "quantity",
          index: index ?? -1,
          amount: amount ?? 0,
        }),
      );
    }
    case ACTIONS.pickRefresh:
      return await pickerReply(ctx, await trading.act(ctx.memberId, ref.session, { kind: "refresh" }));
    case ACTIONS.pickCancel:
      await trading.act(ctx.memberId, ref.session, { kind: "cancel" });
      return {
        tone: "info",
        blocks: [text(core.i18n.t(ctx.locale, "common.canceled"))],
        buttons: [],
        ephemeral: true,
      };
    case ACTIONS.pickConfirm:
      return (await confirmPicker(ctx, ref)).view;
    case ACTIONS.tradesCancel: {
      const tradeId = await core.choices.cancelTarget(ctx.memberId, ref.session, Number(ref.arg));
      await trading.cancelWithdrawal(ctx.memberId, tradeId);
      return message("success", core.i18n.t(ctx.locale, "withdraw.cancelRequested"), { ephemeral: true });
    }
    case ACTIONS.auditPage:
      if (!ctx.isAdmin) throw new CoreError("notAdmin");
      return await auditPage(ctx, Number(ref.arg ?? 0));
    case ACTIONS.withdrawItem:
      return await pickerReply(ctx, await openWithdrawFromSearch(ctx, ref.session, Number(ref.arg)));
    case ACTIONS.language: {
      if (ref.session !== ctx.memberId.replace(/[^A-Za-z0-9_-]/g, "_")) throw new CoreError("pickerNotYours");
      const chosen = ref.arg;
      if (!chosen || !isLocale(chosen)) throw new CoreError("internal");
      await core.members.update(ctx.memberId, (p) => {
        p.localeOverride = chosen;
        return p;
      });
      return languageView(core.i18n, chosen, ref.session);
    }
    case ACTIONS.signedIn:
      return await confirmSignIn(ctx, ref.session);
    default:
      throw new CoreError("pickerExpired");
  }
}
