/**
 * What members do, turned into updates: writing a message, pressing an inline button. Each
 * injection is stored the way Telegram would (the message joins the chat history, the private chat
 * counts as opened) and queued for the bot, whether it polls or has a webhook.
 */
import type { CallbackAnswer } from "./callback-queries.ts";
import type { FakeCore } from "./core.ts";
import { unixNow } from "./core.ts";
import { detectEntities } from "./format-text.ts";
import { hasCallbackButton } from "./reply-markup.ts";
import type {
  TgCallbackQuery,
  TgChat,
  TgGroupChat,
  TgMessage,
  TgPrivateChat,
  TgUpdate,
  TgUser,
} from "./types.ts";

export interface TextHandle {
  /** The update as queued; undefined when the bot's allowed_updates filtered it out. */
  update: TgUpdate | undefined;
  message: TgMessage;
  /** performance.now() at injection. */
  injectedAt: number;
}

export interface CallbackHandle {
  update: TgUpdate | undefined;
  callbackQueryId: string;
  injectedAt: number;
  /** Resolves when the bot calls answerCallbackQuery for this query (accepted or refused). */
  answered: Promise<CallbackAnswer>;
}

export class Injector {
  private nextUserId = 100_001;
  private nextGroupId = 1;

  constructor(
    private readonly core: FakeCore,
    private readonly changed: () => void,
  ) {}

  user(init: Partial<TgUser> = {}): TgUser {
    const id = init.id ?? this.nextUserId++;
    return {
      first_name: `Member ${id}`,
      username: `member${id}`,
      language_code: "en",
      ...init,
      id,
      is_bot: false,
    };
  }

  privateChat(user: TgUser): TgPrivateChat {
    const chat: TgPrivateChat = { id: user.id, type: "private", first_name: user.first_name };
    if (user.last_name !== undefined) chat.last_name = user.last_name;
    if (user.username !== undefined) chat.username = user.username;
    return chat;
  }

  group(init: Partial<TgGroupChat> = {}): TgGroupChat {
    const n = this.nextGroupId++;
    const type = init.type ?? "supergroup";
    const id = init.id ?? (type === "supergroup" ? -1_000_000_000_000 - n : -4_000_000_000 - n);
    return { title: `Trading group ${n}`, ...init, id, type };
  }

  /** Makes a chat known without anyone writing in it (a group the bot was added to). */
  addChat(chat: TgChat): void {
    this.core.chats.ensureChat(chat, chat.type === "private");
  }

  sendText(from: TgUser, chat: TgChat, text: string): TextHandle {
    if (chat.type === "private" && chat.id !== from.id) {
      throw new Error(
        `a private chat's id is its user's id: chat ${chat.id} cannot hold a message from ${from.id}`,
      );
    }
    const injectedAt = performance.now();
    this.core.chats.rememberUser(from);
    this.core.chats.ensureChat(chat, chat.type === "private");
    // A user who blocked the bot must unblock it (Telegram's "Restart") before writing to it.
    if (chat.type === "private") this.core.chats.setBlocked(from.id, false);
    const message = this.core.chats.addMessage(chat.id, (messageId, storedChat) => {
      const m: TgMessage = {
        message_id: messageId,
        from: { ...from },
        chat: storedChat,
        date: unixNow(),
        text,
      };
      const entities = detectEntities(text);
      if (entities.length > 0) m.entities = entities;
      return m;
    });
    const update = this.core.queue.push("message", structuredClone(message));
    this.changed();
    return { update: update && structuredClone(update), message: structuredClone(message), injectedAt };
  }

  /**
   * Presses a button on a message as it currently is: the button must exist there, as a member can
   * only press what they see (use `injectUpdate` to forge anything else).
   */
  pressButton(
    from: TgUser,
    message: { message_id: number; chat: { id: number } },
    data: string,
  ): CallbackHandle {
    const stored = this.core.chats.message(message.chat.id, message.message_id);
    if (!stored)
      throw new Error(`message ${message.message_id} in chat ${message.chat.id} does not exist (deleted?)`);
    if (!hasCallbackButton(stored.reply_markup, data)) {
      const offered = stored.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data) ?? [];
      throw new Error(
        `message ${message.message_id} has no button with data ${JSON.stringify(data)}; it offers ${JSON.stringify(offered)}`,
      );
    }
    const injectedAt = performance.now();
    this.core.chats.rememberUser(from);
    const { id, answered } = this.core.callbacks.create(injectedAt);
    const query: TgCallbackQuery = {
      id,
      from: { ...from },
      message: structuredClone(stored),
      chat_instance: this.core.chats.find(message.chat.id)!.instance,
      data,
    };
    const update = this.core.queue.push("callback_query", query);
    this.changed();
    return { update: update && structuredClone(update), callbackQueryId: id, injectedAt, answered };
  }

  /** Queues any update as given (a forged callback, an edited message, a my_chat_member...). */
  injectUpdate(type: string, payload: unknown): TgUpdate | undefined {
    const update = this.core.queue.push(type, structuredClone(payload));
    this.changed();
    return update && structuredClone(update);
  }
}
