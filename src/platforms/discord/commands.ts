/**
 * The application commands Discord registers, built from the shared definitions in `commands/`:
 * names, options and choices as defined there, descriptions in English plus a localization for
 * every Discord locale whose catalogue has the text. /admin is hidden from members through
 * default member permissions (and checked again at run time).
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type APIApplicationCommandOptionChoice,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type LocalizationMap,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { CommandDefinition, CommandOption, OptionType } from "../../../commands/types.ts";
import { CATALOGUES } from "../../ui/catalogues.ts";
import type { I18n, MessageKey } from "../../ui/i18n.ts";
import type { Locale } from "../../ui/locales.ts";

/** Which Discord locales each of our languages speaks for (Discord has two Englishes and two Spanishes). */
export const DISCORD_LOCALES: Record<Locale, readonly string[]> = {
  en: ["en-US", "en-GB"],
  ru: ["ru"],
  "pt-BR": ["pt-BR"],
  de: ["de"],
  es: ["es-ES", "es-419"],
  tr: ["tr"],
  pl: ["pl"],
  uk: ["uk"],
};

export type DiscordCommandJSON = RESTPostAPIChatInputApplicationCommandsJSONBody;

const OPTION_TYPES: Record<
  OptionType,
  | ApplicationCommandOptionType.String
  | ApplicationCommandOptionType.Integer
  | ApplicationCommandOptionType.User
> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  user: ApplicationCommandOptionType.User,
};

/** Discord's chat-input name rule: what a localized command name must satisfy to be sent. */
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** The raw string at a dotted key of one language's own catalogue (no fallback to English). */
function ownText(locale: Locale, key: string): string | undefined {
  let node: unknown = CATALOGUES[locale];
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" && node.trim() !== "" ? node : undefined;
}

function withLocalizations(text: (locale: Locale) => string | undefined): LocalizationMap | undefined {
  const map: LocalizationMap = {};
  for (const locale of Object.keys(CATALOGUES) as Locale[]) {
    const value = text(locale);
    if (value === undefined) continue;
    for (const code of DISCORD_LOCALES[locale]) map[code as keyof LocalizationMap] = value;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}

const limit = (text: string, max: number) =>
  [...text].length <= max ? text : [...text].slice(0, max).join("");

export interface CommandBuilder {
  /** Every command whose definition lists Discord (or no platform at all), as Discord's JSON. */
  build(definitions: readonly CommandDefinition[]): DiscordCommandJSON[];
}

export function createCommandBuilder(i18n: I18n): CommandBuilder {
  const base = i18n.defaultLocale;
  const description = (key: MessageKey) => ({
    description: limit(i18n.t(base, key), 100),
    description_localizations: withLocalizations((l) => {
      const own = ownText(l, key);
      return own === undefined ? undefined : limit(own, 100);
    }),
  });

  const option = (o: CommandOption): APIApplicationCommandBasicOption => {
    const json: Record<string, unknown> = {
      type: OPTION_TYPES[o.type],
      name: o.name,
      ...description(o.descriptionKey),
    };
    if (o.required) json.required = true;
    if (o.autocomplete) json.autocomplete = true;
    if (o.maxLength !== undefined && o.type === "string") json.max_length = o.maxLength;
    if (o.choices && o.choices.length > 0) {
      json.choices = o.choices.slice(0, 25).map((c): APIApplicationCommandOptionChoice => {
        const key = c.nameKey;
        const name = key !== undefined ? i18n.t(base, key) : (c.name ?? c.value);
        const choice: APIApplicationCommandOptionChoice = {
          name: limit(name, 100),
          value: o.type === "integer" ? Number(c.value) : c.value,
        };
        const localized =
          key !== undefined
            ? withLocalizations((l) => {
                const own = ownText(l, key);
                return own === undefined ? undefined : limit(own, 100);
              })
            : undefined;
        if (localized) choice.name_localizations = localized;
        return choice;
      });
    }
    return json as unknown as APIApplicationCommandBasicOption;
  };

  // Discord lists required options first and refuses a definition that doesn't.
  const options = (list: CommandOption[]) =>
    [...list].sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false)).map(option);

  const command = (def: CommandDefinition): DiscordCommandJSON => {
    const opts: APIApplicationCommandOption[] = def.subcommands
      ? def.subcommands.map((sub) => ({
          type: ApplicationCommandOptionType.Subcommand,
          name: sub.name,
          ...description(sub.descriptionKey),
          options: options(sub.options),
        }))
      : options(def.options);
    const names = withLocalizations((l) => {
      const own = ownText(l, `commands.${def.name}.name`);
      return own !== undefined && COMMAND_NAME.test(own) && own === own.toLowerCase() ? own : undefined;
    });
    const json: Record<string, unknown> = {
      type: ApplicationCommandType.ChatInput,
      name: def.name,
      ...description(def.descriptionKey),
      options: opts,
      // Explicit, so what Discord stores equals what we send and a re-registration compares equal.
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: def.adminOnly
        ? [InteractionContextType.Guild]
        : [InteractionContextType.Guild, InteractionContextType.BotDM],
      default_member_permissions: def.adminOnly ? PermissionFlagsBits.ManageGuild.toString() : null,
    };
    if (names) json.name_localizations = names;
    return json as unknown as DiscordCommandJSON;
  };

  return {
    build(definitions) {
      return definitions
        .filter((d) => d.platforms === undefined || d.platforms.includes("discord"))
        .map(command);
    },
  };
}
