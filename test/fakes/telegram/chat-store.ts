/**
 * What the fake Telegram knows about people and chats: every message in its current state, which
 * private chats a user has opened (a bot cannot speak first), and who blocked the bot.
 */
import { randomBytes } from "node:crypto";
import { TelegramApiError } from "./api-error.ts";
import type { TgChat, TgMessage, TgUser } from "./types.ts";

export interface ChatRecord {
  chat: TgChat;
  messages: Map<number, TgMessage>;
  nextMessageId: number;
  /** Private chats only: the user has written to the bot, so the bot may write back. */
  started: boolean;
  /** Stable per chat, as Telegram's `chat_instance` in callback queries. */
  instance: string;
}

export class ChatStore {
  private readonly users = new Map<number, TgUser>();
  private readonly chats = new Map<number, ChatRecord>();
  /** Kept apart from the chats: a test may block a user before they ever write. */
  private readonly blocked = new Set<number>();

  rememberUser(user: TgUser): void {
    this.users.set(user.id, { ...user });
  }

  /** Registers a chat (idempotent); a private chat counts as opened when `started`. */
  ensureChat(chat: TgChat, started = false): void {
    const existing = this.chats.get(chat.id);
    if (existing) {
      existing.chat = { ...chat };
      existing.started ||= started;
      return;
    }
    this.chats.set(chat.id, {
      chat: { ...chat },
      messages: new Map(),
      nextMessageId: 1,
      started,
      instance: BigInt(`0x${randomBytes(8).toString("hex")}`).toString(),
    });
  }

  setBlocked(chatId: number, blocked: boolean): void {
    if (blocked) this.blocked.add(chatId);
    else this.blocked.delete(chatId);
  }

  isBlocked(chatId: number): boolean {
    return this.blocked.has(chatId);
  }

  find(chatId: number | string): ChatRecord | undefined {
    if (typeof chatId === "number") return this.chats.get(chatId);
    const username = chatId.slice(1).toLowerCase();
    for (const record of this.chats.values()) {
      if (record.chat.username?.toLowerCase() === username) return record;
    }
    return undefined;
  }

  /**
   * Resolves the chat a bot wants to write to, refusing as Telegram does: unknown chat, a user
   * who never opened the private chat, a user who blocked the bot.
   */
  writable(chatId: number | string): ChatRecord {
    if (typeof chatId === "number" && this.blocked.has(chatId)) {
      throw new TelegramApiError(403, "Forbidden: bot was blocked by the user");
    }
    const record = this.find(chatId);
    if (!record) {
      if (typeof chatId === "number" && this.users.has(chatId)) {
        throw new TelegramApiError(403, "Forbidden: bot can't initiate conversation with a user");
      }
      throw new TelegramApiError(400, "Bad Request: chat not found");
    }
    if (record.chat.type === "private" && !record.started) {
      throw new TelegramApiError(403, "Forbidden: bot can't initiate conversation with a user");
    }
    return record;
  }

  readable(chatId: number | string): ChatRecord {
    const record = this.find(chatId);
    if (!record) throw new TelegramApiError(400, "Bad Request: chat not found");
    return record;
  }

  addMessage(chatId: number, build: (messageId: number, chat: TgChat) => TgMessage): TgMessage {
    const record = this.chats.get(chatId);
    if (!record) throw new Error(`chat ${chatId} is not known to the fake`);
    const message = build(record.nextMessageId++, { ...record.chat });
    record.messages.set(message.message_id, message);
    return message;
  }

  message(chatId: number, messageId: number): TgMessage | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  deleteMessage(chatId: number, messageId: number): boolean {
    return this.chats.get(chatId)?.messages.delete(messageId) ?? false;
  }

  messages(chatId: number): TgMessage[] {
    const record = this.chats.get(chatId);
    if (!record) return [];
    return [...record.messages.values()].sort((a, b) => a.message_id - b.message_id);
  }
}
