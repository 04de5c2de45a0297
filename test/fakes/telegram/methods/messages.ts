/** sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage. */
import { badRequest, TelegramApiError } from "../api-error.ts";
import type { ChatRecord } from "../chat-store.ts";
import { type FakeCore, type MethodCall, type MethodHandler, unixNow } from "../core.ts";
import { formatMessageText } from "../format-text.ts";
import { chatIdParam, intParam, type Params } from "../params.ts";
import { parseReplyMarkup } from "../reply-markup.ts";
import type { TgInlineKeyboard, TgMessage } from "../types.ts";

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

export const sendMessage: MethodHandler = (core, { params, now }) => {
  // Like the Bot API: the content is checked before the chat is looked up.
  const formatted = formatMessageText({
    text: params.text,
    parseMode: params.parse_mode,
    entities: params.entities,
  });
  const markup = parseReplyMarkup(params.reply_markup);
  const record = core.chats.writable(chatIdParam(params));
  const replyTo = repliedMessage(core, record, params);
  core.flood.admitMessage(record.chat.id, now);

  const message = core.chats.addMessage(record.chat.id, (messageId, chat) => {
    const m: TgMessage = {
      message_id: messageId,
      from: { ...core.bot },
      chat,
      date: unixNow(),
      text: formatted.text,
    };
    if (formatted.entities.length > 0) m.entities = formatted.entities;
    if (markup.kind === "inline") m.reply_markup = markup.keyboard;
    if (replyTo) m.reply_to_message = replyTo;
    const preview = params.link_preview_options;
    if (typeof preview === "object" && preview !== null) m.link_preview_options = { ...preview };
    return m;
  });
  return structuredClone(message);
};

function repliedMessage(core: FakeCore, record: ChatRecord, params: Params): TgMessage | undefined {
  const reply = params.reply_parameters;
  const replyParams = typeof reply === "object" && reply !== null ? (reply as Params) : {};
  const messageId = intParam(replyParams, "message_id") ?? intParam(params, "reply_to_message_id");
  if (messageId === undefined) return undefined;
  const target = core.chats.message(record.chat.id, messageId);
  if (target) {
    const { reply_to_message: _nested, ...rest } = structuredClone(target);
    return rest;
  }
  const allowWithout = replyParams.allow_sending_without_reply ?? params.allow_sending_without_reply;
  if (allowWithout === true || allowWithout === "true") return undefined;
  throw badRequest("message to be replied not found", "message_not_found");
}

/** Finds a bot message the bot wants to edit, refusing as Telegram does. */
function editableMessage(core: FakeCore, params: Params): TgMessage {
  if (params.inline_message_id !== undefined) {
    // The fake has no inline mode, so no inline message can exist.
    throw badRequest("message to edit not found", "message_not_found");
  }
  const chatId = chatIdParam(params);
  const messageId = intParam(params, "message_id");
  if (messageId === undefined) throw badRequest("message identifier is not specified");
  if (typeof chatId === "number" && core.chats.isBlocked(chatId)) {
    throw new TelegramApiError(403, "Forbidden: bot was blocked by the user");
  }
  const record = core.chats.readable(chatId);
  const message = core.chats.message(record.chat.id, messageId);
  if (!message) throw badRequest("message to edit not found", "message_not_found");
  if (message.from?.id !== core.bot.id) throw badRequest("message can't be edited", "message_cant_be_edited");
  return message;
}

function sameMarkup(a: TgInlineKeyboard | undefined, b: TgInlineKeyboard | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export const editMessageText: MethodHandler = (core, { params }) => {
  const formatted = formatMessageText({
    text: params.text,
    parseMode: params.parse_mode,
    entities: params.entities,
  });
  const markup = parseReplyMarkup(params.reply_markup);
  const message = editableMessage(core, params);
  if (message.text === undefined) throw badRequest("there is no text in the message to edit");

  // Leaving reply_markup out of an edit removes the keyboard: a classic way to lose the buttons.
  const keyboard = markup.kind === "inline" ? markup.keyboard : undefined;
  const entities = formatted.entities.length > 0 ? formatted.entities : undefined;
  if (
    message.text === formatted.text &&
    JSON.stringify(message.entities ?? null) === JSON.stringify(entities ?? null) &&
    sameMarkup(message.reply_markup, keyboard)
  ) {
    throw badRequest(NOT_MODIFIED, "message_not_modified");
  }
  message.text = formatted.text;
  setOrDelete(message, "entities", entities);
  setOrDelete(message, "reply_markup", keyboard);
  message.edit_date = unixNow();
  return structuredClone(message);
};

export const editMessageReplyMarkup: MethodHandler = (core, { params }) => {
  const markup = parseReplyMarkup(params.reply_markup);
  const message = editableMessage(core, params);
  const keyboard = markup.kind === "inline" ? markup.keyboard : undefined;
  if (sameMarkup(message.reply_markup, keyboard)) throw badRequest(NOT_MODIFIED, "message_not_modified");
  setOrDelete(message, "reply_markup", keyboard);
  message.edit_date = unixNow();
  return structuredClone(message);
};

export const deleteMessage: MethodHandler = (core, { params }: MethodCall) => {
  const chatId = chatIdParam(params);
  const messageId = intParam(params, "message_id");
  if (messageId === undefined) throw badRequest("message identifier is not specified");
  const record = core.chats.readable(chatId);
  const message = core.chats.message(record.chat.id, messageId);
  if (!message) throw badRequest("message to delete not found", "message_not_found");
  // In groups the fake treats the bot as a plain member: it may delete only its own messages.
  if (record.chat.type !== "private" && message.from?.id !== core.bot.id) {
    throw badRequest("message can't be deleted");
  }
  core.chats.deleteMessage(record.chat.id, messageId);
  return true;
};

function setOrDelete<K extends "entities" | "reply_markup">(
  message: TgMessage,
  key: K,
  value: TgMessage[K],
): void {
  if (value === undefined) delete message[key];
  else message[key] = value;
}
