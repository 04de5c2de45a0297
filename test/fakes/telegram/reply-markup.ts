/**
 * Checks a `reply_markup` the way the Bot API does and reduces an inline keyboard to the canonical
 * form Telegram echoes back in Message objects (label plus the one action field).
 */
import { badRequest } from "./api-error.ts";
import type { TgInlineButton, TgInlineKeyboard } from "./types.ts";

export const MAX_CALLBACK_DATA_BYTES = 64;
export const MAX_INLINE_BUTTONS = 100;

const BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
] as const;

/** Actions the Bot API treats as absent when given as an empty string. */
const STRING_ACTIONS = new Set(["url", "callback_data"]);

export type ParsedReplyMarkup =
  | { kind: "none" }
  | { kind: "inline"; keyboard: TgInlineKeyboard }
  /** A reply keyboard, its removal or force_reply: accepted, never part of the Message. */
  | { kind: "other" };

export function parseReplyMarkup(value: unknown): ParsedReplyMarkup {
  if (value === undefined || value === null || value === "") return { kind: "none" };
  let markup = value;
  if (typeof markup === "string") {
    try {
      markup = JSON.parse(markup);
    } catch {
      throw badRequest("can't parse reply keyboard markup JSON object", "reply_markup_invalid");
    }
  }
  if (typeof markup !== "object" || markup === null || Array.isArray(markup)) {
    throw badRequest("object expected as reply markup", "reply_markup_invalid");
  }
  const object = markup as Record<string, unknown>;
  if (!("inline_keyboard" in object)) return { kind: "other" };

  const rows = object.inline_keyboard;
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
    throw badRequest(
      'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
      "reply_markup_invalid",
    );
  }
  const keyboard: TgInlineKeyboard = { inline_keyboard: [] };
  let count = 0;
  for (const row of rows as unknown[][]) {
    const parsedRow: TgInlineButton[] = [];
    for (const button of row) {
      parsedRow.push(parseButton(button));
      count++;
    }
    // Telegram answers an empty inline keyboard as if none was sent.
    if (parsedRow.length > 0) keyboard.inline_keyboard.push(parsedRow);
  }
  if (count > MAX_INLINE_BUTTONS) throw badRequest("reply markup is too long", "too_many_buttons");
  if (count === 0) return { kind: "none" };
  return { kind: "inline", keyboard };
}

function parseButton(value: unknown): TgInlineButton {
  const fail = (reason: string, kind: "button_type" | "reply_markup_invalid" = "reply_markup_invalid") =>
    badRequest(`can't parse inline keyboard button: ${reason}`, kind);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail("InlineKeyboardButton must be an Object");
  }
  const button = value as Record<string, unknown>;
  if (typeof button.text !== "string") throw fail('Field "text" must be of type String');

  const actions = BUTTON_ACTIONS.filter((action) => {
    const v = button[action];
    if (v === undefined || v === null) return false;
    return !(STRING_ACTIONS.has(action) && v === "");
  });
  if (actions.length === 0) throw fail("Text buttons are unallowed in the inline keyboard", "button_type");
  if (actions.length > 1) {
    // Telegram silently keeps the first of them (url wins); the documentation says exactly one.
    // A button carrying two actions is a bug that only shows as a dead button, so the fake refuses.
    throw fail(`exactly one of ${actions.join(", ")} must be used`, "button_type");
  }
  const action = actions[0]!;
  const payload = button[action];

  if (action === "callback_data") {
    if (typeof payload !== "string" || Buffer.byteLength(payload, "utf8") > MAX_CALLBACK_DATA_BYTES) {
      throw badRequest("BUTTON_DATA_INVALID", "button_data_invalid");
    }
  }
  if (action === "url") {
    if (typeof payload !== "string" || !/^(https?|tg):\/\//i.test(payload) || !URL.canParse(payload)) {
      throw badRequest("BUTTON_URL_INVALID", "button_url_invalid");
    }
  }
  return { text: button.text, [action]: payload };
}

/** Finds the button a user could press to send `data`, if the keyboard has one. */
export function hasCallbackButton(keyboard: TgInlineKeyboard | undefined, data: string): boolean {
  return keyboard?.inline_keyboard.some((row) => row.some((b) => b.callback_data === data)) ?? false;
}
