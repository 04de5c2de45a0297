/**
 * The moderators' audit chat on Telegram: batches posted as plain text (no parse mode, so
 * nothing in a member's name can be read as markup), without a notification sound.
 */
import type { Api } from "grammy";
import type { AuditSink } from "../../core/audit-events.ts";

/** Telegram's message text limit. */
const TEXT_MAX = 4_096;

export function createTelegramAuditSink(api: Api, chatId: string): AuditSink {
  return {
    platform: "telegram",
    maxChars: TEXT_MAX,
    async post(text) {
      // Chat ids fit a JS number (Telegram keeps them within 52 bits).
      await api.sendMessage(Number(chatId), text, { disable_notification: true });
    },
  };
}
