/**
 * The methods the fake serves. Telegram matches method names case-insensitively; calls are
 * recorded under the canonical camelCase name so tests can filter on it.
 */
import type { MethodHandler } from "../core.ts";
import { answerCallbackQuery, deleteMyCommands, getMe, getMyCommands, setMyCommands } from "./bot.ts";
import { getChat, getChatMenuButton, sendChatAction, setChatMenuButton } from "./chats.ts";
import { deleteMessage, editMessageReplyMarkup, editMessageText, sendMessage } from "./messages.ts";
import { deleteWebhook, getUpdates, getWebhookInfo, setWebhook } from "./updates.ts";

const HANDLERS: Record<string, MethodHandler> = {
  getMe,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  sendMessage,
  editMessageText,
  editMessageReplyMarkup,
  deleteMessage,
  answerCallbackQuery,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  setChatMenuButton,
  getChatMenuButton,
  sendChatAction,
  getChat,
};

const BY_LOWER_NAME = new Map(
  Object.entries(HANDLERS).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
);

export function findMethod(name: string): { name: string; handler: MethodHandler } | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}
