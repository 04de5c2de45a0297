/**
 * What the bot remembers about each message it sent with buttons: whose it is (anyone in a group
 * can tap a button), which buttons it shows now (a second tap on a button an edit already removed
 * is stale, e.g. a double-tapped confirm), and a fingerprint of its content (an edit that changes
 * nothing is refused by Telegram as "message is not modified"). Kept in the store, so it holds
 * across a restart and between instances.
 */
import { createHash } from "node:crypto";
import { getAs, type KV } from "../../core/kv.ts";
import type { TelegramMessage } from "./render.ts";

export interface MessageRecord {
  /** Telegram user id of the member the message answers. */
  owner: number;
  /** callback_data of the buttons it shows now; empty once they are gone. */
  buttons: string[];
  fingerprint: string;
}

export interface MessageRecords {
  get(chatId: number, messageId: number): Promise<MessageRecord | undefined>;
  put(chatId: number, messageId: number, record: MessageRecord): Promise<void>;
}

export function fingerprint(message: TelegramMessage): string {
  return createHash("sha256")
    .update(message.html)
    .update("\u0000")
    .update(JSON.stringify(message.replyMarkup ?? null))
    .digest("base64url")
    .slice(0, 22);
}

export function createMessageRecords(kv: KV, ttlMs: number): MessageRecords {
  const key = (chatId: number, messageId: number) => `tg:msg:${chatId}:${messageId}`;
  return {
    get: (chatId, messageId) => getAs<MessageRecord>(kv, key(chatId, messageId)),
    async put(chatId, messageId, record) {
      await kv.set(key(chatId, messageId), record, ttlMs);
    },
  };
}
