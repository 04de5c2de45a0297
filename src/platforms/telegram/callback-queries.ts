/**
 * Button presses. Telegram shows a spinner until answerCallbackQuery, so it comes first, before
 * any store or AssetPay work; the only checks made before it are the cheap ones whose outcome is
 * the answer itself: a button of an unknown version (expired) and a press on someone else's
 * message (refused with an alert, the message left alone). Both happen as the press arrives, ahead
 * of the chat's earlier updates; the work then waits for the chat's turn (see update-intake.ts):
 * a press on a button the message no longer shows (the second tap of a double tap) is dropped,
 * anything else goes to the core and the message is edited to the view it returns. A refusal
 * (paused deposits, an AssetPay error) comes as a reply instead, leaving the picker to try again,
 * unless the picker itself is over: then its dead buttons give way to the "expired" text.
 */
import type { Context, MiddlewareFn } from "grammy";
import type { Logger } from "pino";
import { answerAction } from "../../../commands/runtime.ts";
import type { Core } from "../../app.ts";
import { isCoreError } from "../../core/errors.ts";
import { memberIdOf } from "../../core/members.ts";
import { ACTIONS, type ActionRef, decodeAction } from "../../ui/action-id.ts";
import { invocationOf, localeOf } from "./invocation.ts";
import type { MessageRecords } from "./message-records.ts";
import type { ViewSender } from "./view-sender.ts";

export interface CallbackDeps {
  core: Core;
  admins: ReadonlySet<string>;
  records: MessageRecords;
  sender: ViewSender;
  logger: Logger;
}

const PICKER_ACTIONS: ReadonlySet<string> = new Set([
  ACTIONS.pickToggle,
  ACTIONS.pickSelect,
  ACTIONS.pickPage,
  ACTIONS.pickConfirm,
  ACTIONS.pickCancel,
  ACTIONS.pickRefresh,
]);

/** Whether the picker behind a refused press can take no more presses. */
async function pickerIsOver(core: Core, userId: number, ref: ActionRef): Promise<boolean> {
  if (!PICKER_ACTIONS.has(ref.action)) return false;
  try {
    const session = await core.trading.load(
      memberIdOf({ platform: "telegram", userId: String(userId) }),
      ref.session,
    );
    return session.state === "cancelled";
  } catch (err) {
    if (isCoreError(err) && err.key === "pickerExpired") return true;
    throw err;
  }
}

/** A press that passed the cheap checks and was answered: what the work in the chat's turn needs. */
interface Press {
  ref: ActionRef;
  data: string;
  chatId: number;
  messageId: number;
}

/** Never rejected: a failed acknowledgement is rethrown in the chat's turn, where grammY catches it. */
type Acknowledged = { press: Press | undefined } | { error: unknown };

export interface CallbackHandlers {
  /**
   * Runs as the press arrives, before the chat's earlier updates are done: answers it (Telegram
   * shows a spinner until then) without holding up the press's place in the chat's order.
   */
  acknowledge: MiddlewareFn<Context>;
  /** Runs in the chat's turn: the press's work. */
  handle(ctx: Context): Promise<void>;
}

export function createCallbackHandlers(deps: CallbackDeps): CallbackHandlers {
  const { core, records } = deps;
  const acknowledged = new WeakMap<Context, Promise<Acknowledged>>();

  /** Answers with an alert; the press then has no work. */
  const refuse = async (
    ctx: Context,
    key: "errors.core.pickerExpired" | "errors.core.pickerNotYours",
  ): Promise<undefined> => {
    const from = ctx.callbackQuery?.from;
    const locale = from ? await localeOf(core, from) : core.i18n.defaultLocale;
    await ctx.answerCallbackQuery({ text: core.i18n.t(locale, key), show_alert: true });
    return undefined;
  };

  /** The press to work on, or undefined when the answer was a refusal. */
  const answer = async (ctx: Context): Promise<Press | undefined> => {
    const query = ctx.callbackQuery;
    if (!query) return undefined;
    const data = query.data;
    const message = query.message;
    const ref = data !== undefined ? decodeAction(data) : null;
    // A button of an older version, or one on an inline message the bot never sends: nothing to do.
    if (!ref || data === undefined || !message) return refuse(ctx, "errors.core.pickerExpired");

    const chatId = message.chat.id;
    const messageId = message.message_id;
    if (message.chat.type === "private") {
      // In a private chat the only member is the chat itself; anyone else forged the press.
      if (chatId !== query.from.id) return refuse(ctx, "errors.core.pickerNotYours");
    } else {
      const owned = await records.get(chatId, messageId);
      // In a group anyone can press; a message we no longer know about is past its session's life.
      if (!owned) return refuse(ctx, "errors.core.pickerExpired");
      if (owned.owner !== query.from.id) return refuse(ctx, "errors.core.pickerNotYours");
    }

    if (ref.action === ACTIONS.pickConfirm) {
      // Starting a trade takes a moment: say so right away, in the member's language.
      const locale = await localeOf(core, query.from);
      await ctx.answerCallbackQuery({ text: core.i18n.t(locale, "common.working") });
    } else {
      await ctx.answerCallbackQuery();
    }
    return { ref, data, chatId, messageId };
  };

  return {
    acknowledge(ctx, next) {
      if (ctx.callbackQuery) {
        acknowledged.set(
          ctx,
          answer(ctx).then(
            (press) => ({ press }),
            (error: unknown) => ({ error }),
          ),
        );
      }
      return next();
    },

    async handle(ctx) {
      const query = ctx.callbackQuery;
      const outcome = await acknowledged.get(ctx);
      if (!query || !outcome) return;
      if ("error" in outcome) throw outcome.error;
      if (!outcome.press) return;
      const { ref, data, chatId, messageId } = outcome.press;
      const log = deps.logger.child({ userId: query.from.id, chatId, action: ref.action });
      // Read in the chat's turn: the updates before this one may have changed the message.
      const record = await records.get(chatId, messageId);
      if (record && !record.buttons.includes(data)) {
        log.debug("press on a button the message no longer shows; ignored");
        return;
      }
      const inv = invocationOf(core, query.from, deps.admins, `tg:${ctx.update.update_id}`);
      const result = await answerAction(core, inv, ref);
      if (result.refused && !(await pickerIsOver(core, query.from.id, ref))) {
        await deps.sender.send(chatId, result.view, { owner: query.from.id, replyTo: messageId });
        return;
      }
      await deps.sender.showInPlace(chatId, messageId, result.view, {
        owner: query.from.id,
        ...(record ? { known: record } : {}),
      });
      // The receipt just shown becomes the trade's live card (see the notifier).
      if (result.tradeId !== undefined) {
        await core.receipts.remember(result.tradeId, { platform: "telegram", chatId, messageId });
      }
    },
  };
}
