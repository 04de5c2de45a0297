/** getChat, sendChatAction, setChatMenuButton, getChatMenuButton. */
import { badRequest } from "../api-error.ts";
import type { MethodHandler } from "../core.ts";
import { chatIdParam } from "../params.ts";

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

export const getChat: MethodHandler = (core, { params }) => {
  const record = core.chats.readable(chatIdParam(params));
  return { ...record.chat, accent_color_id: 0, max_reaction_count: 11 };
};

export const sendChatAction: MethodHandler = (core, { params }) => {
  if (typeof params.action !== "string" || !CHAT_ACTIONS.has(params.action)) {
    throw badRequest("wrong parameter action in request");
  }
  core.chats.writable(chatIdParam(params));
  return true;
};

function menuKey(chatId: unknown): string {
  return chatId === undefined || chatId === "" ? "default" : String(chatId);
}

export const setChatMenuButton: MethodHandler = (core, { params }) => {
  const button = params.menu_button ?? { type: "default" };
  if (
    typeof button !== "object" ||
    button === null ||
    typeof (button as { type?: unknown }).type !== "string"
  ) {
    throw badRequest("can't parse menu button JSON object");
  }
  core.menuButtons.set(menuKey(params.chat_id), button);
  return true;
};

export const getChatMenuButton: MethodHandler = (core, { params }) =>
  core.menuButtons.get(menuKey(params.chat_id)) ?? core.menuButtons.get("default") ?? { type: "commands" };
