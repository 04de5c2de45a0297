/**
 * The command menu Telegram shows next to the text field: one list per language (Telegram picks
 * it by the member's app language), member commands for everyone, the admin command added only in
 * each admin's own chat. Telegram refuses a chat scope for a user who never opened the chat, so an
 * admin whose menu could not be set yet gets it on their first message.
 */
import type { Api } from "grammy";
import type { BotCommand, LanguageCode } from "grammy/types";
import type { Logger } from "pino";
import type { CommandDefinition } from "../../../commands/types.ts";
import type { I18n, Locale } from "../../ui/i18n.ts";

export function telegramCommands(commands: readonly CommandDefinition[]): CommandDefinition[] {
  return commands.filter((c) => c.platforms === undefined || c.platforms.includes("telegram"));
}

export function menuFor(
  i18n: I18n,
  locale: Locale,
  commands: readonly CommandDefinition[],
  admin: boolean,
): BotCommand[] {
  return commands
    .filter((c) => admin || !c.adminOnly)
    .map((c) => ({ command: c.name, description: i18n.t(locale, c.descriptionKey).slice(0, 256) }));
}

/** Telegram's `language_code` for setMyCommands is a bare ISO 639-1 code: `pt-BR` → `pt`. */
export function menuLanguage(locale: Locale): LanguageCode {
  return (locale.split("-")[0] ?? locale).toLowerCase() as LanguageCode;
}

export interface Menus {
  /** Sets every menu; resolves when done, never throws (a menu is a convenience). */
  install(): Promise<void>;
  /** Sets an admin's menu if it is still missing. */
  ensureAdmin(userId: string): Promise<void>;
}

export function createMenus(deps: {
  api: Api;
  i18n: I18n;
  commands: readonly CommandDefinition[];
  adminUserIds: readonly string[];
  logger: Logger;
}): Menus {
  const { api, i18n, commands, logger } = deps;
  const missingAdmins = new Set<string>();
  // One entry per Telegram language code: two locales of one language share Telegram's list.
  const languages = new Map<LanguageCode, Locale>();
  for (const locale of i18n.locales) {
    const code = menuLanguage(locale);
    if (!languages.has(code)) languages.set(code, locale);
  }

  const setAdmin = async (userId: string) => {
    const scope = { type: "chat" as const, chat_id: Number(userId) };
    await api.setMyCommands(menuFor(i18n, i18n.defaultLocale, commands, true), { scope });
    for (const [code, locale] of languages) {
      await api.setMyCommands(menuFor(i18n, locale, commands, true), { scope, language_code: code });
    }
  };

  return {
    async install() {
      try {
        await api.setMyCommands(menuFor(i18n, i18n.defaultLocale, commands, false));
        for (const [code, locale] of languages) {
          await api.setMyCommands(menuFor(i18n, locale, commands, false), { language_code: code });
        }
      } catch (err) {
        logger.warn({ err }, "could not set the Telegram command menu");
      }
      for (const userId of deps.adminUserIds) {
        try {
          await setAdmin(userId);
        } catch (err) {
          missingAdmins.add(userId);
          logger.info({ err, userId }, "admin command menu not set yet; retried on their first message");
        }
      }
    },
    async ensureAdmin(userId) {
      if (!missingAdmins.has(userId)) return;
      missingAdmins.delete(userId);
      try {
        await setAdmin(userId);
      } catch (err) {
        logger.warn({ err, userId }, "could not set an admin's command menu");
      }
    },
  };
}
