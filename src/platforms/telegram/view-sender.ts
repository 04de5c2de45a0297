/**
 * Puts views in front of a member: a new message, or the same message edited in place (a picker
 * page, a receipt replacing its picker). Remembers each message with buttons (owner, buttons,
 * fingerprint) and skips an edit that would change nothing, which Telegram refuses.
 */
import { type Api, GrammyError } from "grammy";
import type { Message } from "grammy/types";
import type { Logger } from "pino";
import type { View } from "../../ui/view.ts";
import { fingerprint, type MessageRecord, type MessageRecords } from "./message-records.ts";
import { renderView, type TelegramMessage } from "./render.ts";

export interface ViewSender {
  send(chatId: number, view: View, opts: { owner: number; replyTo?: number }): Promise<Message>;
  /** Edits the message to show `view`, unless it already does; sends a new one if it can't be edited. */
  showInPlace(
    chatId: number,
    messageId: number,
    view: View,
    opts: { owner: number; known?: MessageRecord },
  ): Promise<void>;
}

/** Edits Telegram refuses because the message can't take them; a fresh message is the answer then. */
const NOT_EDITABLE = [/message to edit not found/i, /message can't be edited/i, /no text in the message/i];

export function createViewSender(deps: { api: Api; records: MessageRecords; logger: Logger }): ViewSender {
  const { api, records, logger } = deps;

  const render = (view: View): TelegramMessage =>
    renderView(view, {
      onDroppedButton: (label, reason) => logger.warn({ label, reason }, "button left out of a view"),
    });

  const remember = async (chatId: number, messageId: number, owner: number, m: TelegramMessage) => {
    await records.put(chatId, messageId, { owner, buttons: m.callbackData, fingerprint: fingerprint(m) });
  };

  const send: ViewSender["send"] = async (chatId, view, opts) => {
    const m = render(view);
    const sent = await api.sendMessage(chatId, m.html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
      ...(opts.replyTo !== undefined
        ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } }
        : {}),
    });
    if (m.callbackData.length > 0) await remember(chatId, sent.message_id, opts.owner, m);
    return sent;
  };

  return {
    send,
    async showInPlace(chatId, messageId, view, opts) {
      const m = render(view);
      const before = opts.known ?? (await records.get(chatId, messageId));
      if (before?.fingerprint === fingerprint(m)) return;
      try {
        // Without reply_markup the edit removes the keyboard, which is what a view without buttons means.
        await api.editMessageText(chatId, messageId, m.html, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
        });
      } catch (err) {
        if (err instanceof GrammyError && /message is not modified/i.test(err.description)) {
          await remember(chatId, messageId, opts.owner, m);
          return;
        }
        if (err instanceof GrammyError && NOT_EDITABLE.some((re) => re.test(err.description))) {
          await send(chatId, view, { owner: opts.owner });
          return;
        }
        throw err;
      }
      // Kept even without buttons: a late tap on the old keyboard must be recognised as stale.
      await remember(chatId, messageId, opts.owner, m);
    },
  };
}
