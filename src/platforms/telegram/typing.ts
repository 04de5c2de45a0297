/**
 * Telegram's "typing…" under the chat title while a typed command works (an inventory or market
 * lookup can take seconds): sent at once and renewed before it fades (Telegram shows it for 5 s
 * or until the bot's next message). Best effort: a failure to show it never fails the command.
 */
import type { Api } from "grammy";

const RENEW_MS = 4_000;

export async function whileTyping<T>(api: Api, chatId: number, work: () => Promise<T>): Promise<T> {
  const show = () => {
    api.sendChatAction(chatId, "typing").catch(() => undefined);
  };
  show();
  const timer = setInterval(show, RENEW_MS);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
