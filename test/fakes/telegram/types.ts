/**
 * The slice of the Bot API wire format the fake produces and stores. Kept local and lean rather
 * than borrowed from grammY's types so the fake states what Telegram sends, not what one client
 * library models; the shapes are structurally what grammY receives.
 */

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgBotUser extends TgUser {
  is_bot: true;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
}

export interface TgPrivateChat {
  id: number;
  type: "private";
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface TgGroupChat {
  id: number;
  type: "group" | "supergroup";
  title: string;
  username?: string;
}

export type TgChat = TgPrivateChat | TgGroupChat;

export interface TgMessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
  user?: TgUser;
}

/** One inline button, reduced to its label and the single action it carries. */
export interface TgInlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [action: string]: unknown;
}

export interface TgInlineKeyboard {
  inline_keyboard: TgInlineButton[][];
}

export interface TgMessage {
  message_id: number;
  from?: TgUser;
  chat: TgChat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: TgMessageEntity[];
  reply_markup?: TgInlineKeyboard;
  reply_to_message?: TgMessage;
  link_preview_options?: Record<string, unknown>;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message: TgMessage;
  chat_instance: string;
  data: string;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
  callback_query?: TgCallbackQuery;
  [type: string]: unknown;
}

/** Everything a test can read back about one Bot API request. The token is never part of it. */
export interface CallRecord {
  method: string;
  params: Record<string, unknown>;
  /** performance.now() when the request was received. */
  at: number;
  /** Set when the call was not an HTTP request but a method returned in a webhook's 2xx answer. */
  via?: "webhook_reply";
  /** Filled in when the fake has answered. */
  response?: { ok: true; result: unknown } | { ok: false; error_code: number; description: string };
}

export type ViolationKind =
  | "button_data_invalid"
  | "button_url_invalid"
  | "button_type"
  | "too_many_buttons"
  | "reply_markup_invalid"
  | "text_empty"
  | "text_too_long"
  | "parse_entities"
  | "parse_mode"
  | "message_not_modified"
  | "message_not_found"
  | "message_cant_be_edited"
  | "callback_answer_invalid"
  | "callback_answered_twice"
  | "callback_answer_late"
  | "callback_unanswered"
  | "bot_command_invalid"
  | "bad_request"
  | "rate_limited";

/** A request Telegram would have refused (or a deadline it would have missed): a bug to fix. */
export interface Violation {
  kind: ViolationKind;
  method: string;
  description: string;
  at: number;
  params?: Record<string, unknown>;
}
