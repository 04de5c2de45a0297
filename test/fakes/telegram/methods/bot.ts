/** getMe, the command menu (set/get/deleteMyCommands) and answerCallbackQuery. */
import { badRequest } from "../api-error.ts";
import type { BotCommand, MethodHandler } from "../core.ts";
import { type Params, stringParam } from "../params.ts";

const MAX_COMMANDS = 100;

const SCOPE_TYPES = new Set([
  "default",
  "all_private_chats",
  "all_group_chats",
  "all_chat_administrators",
  "chat",
  "chat_administrators",
  "chat_member",
]);

export const getMe: MethodHandler = (core) => ({ ...core.bot });

/**
 * The storage key for one command list: Telegram keeps a list per scope and language and
 * getMyCommands answers exactly that list, with no fallback to broader scopes.
 */
export function commandsKey(scope: unknown, languageCode: unknown): string {
  const s = scope === undefined || scope === null || scope === "" ? { type: "default" } : scope;
  if (typeof s !== "object" || s === null) throw badRequest("can't parse BotCommandScope JSON object");
  const { type, chat_id, user_id } = s as Record<string, unknown>;
  if (typeof type !== "string" || !SCOPE_TYPES.has(type)) {
    throw badRequest("can't parse BotCommandScope: unsupported type specified");
  }
  const needsChat = type === "chat" || type === "chat_administrators" || type === "chat_member";
  if (needsChat && (chat_id === undefined || chat_id === "")) {
    throw badRequest("can't parse BotCommandScope: empty chat_id specified");
  }
  if (type === "chat_member" && user_id === undefined) {
    throw badRequest("can't parse BotCommandScope: invalid user_id specified");
  }
  const language = typeof languageCode === "string" ? languageCode : "";
  if (language !== "" && !/^[a-z]{2}$/.test(language)) throw badRequest("LANG_CODE_INVALID");
  return JSON.stringify([
    type,
    needsChat ? String(chat_id) : "",
    type === "chat_member" ? String(user_id) : "",
    language,
  ]);
}

function parseCommands(value: unknown): BotCommand[] {
  if (value === undefined || value === "") return [];
  if (!Array.isArray(value)) throw badRequest("can't parse commands JSON object");
  if (value.length > MAX_COMMANDS) throw badRequest("BOT_COMMANDS_TOO_MUCH", "bot_command_invalid");
  return value.map((item: unknown) => {
    const c = (typeof item === "object" && item !== null ? item : {}) as Params;
    if (typeof c.command !== "string" || typeof c.description !== "string") {
      throw badRequest("can't parse BotCommand: fields command and description must be Strings");
    }
    if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest("BOT_COMMAND_INVALID", "bot_command_invalid");
    if (c.description.trim() === "" || [...c.description].length > 256) {
      throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID", "bot_command_invalid");
    }
    return { command: c.command, description: c.description };
  });
}

export const setMyCommands: MethodHandler = (core, { params }) => {
  const commands = parseCommands(params.commands);
  const key = commandsKey(params.scope, params.language_code);
  if (commands.length === 0) core.commands.delete(key);
  else core.commands.set(key, commands);
  return true;
};

export const getMyCommands: MethodHandler = (core, { params }) =>
  structuredClone(core.commands.get(commandsKey(params.scope, params.language_code)) ?? []);

export const deleteMyCommands: MethodHandler = (core, { params }) => {
  core.commands.delete(commandsKey(params.scope, params.language_code));
  return true;
};

export const answerCallbackQuery: MethodHandler = (core, { params, now }) => {
  core.callbacks.answer(stringParam(params, "callback_query_id"), params, now);
  return true;
};
