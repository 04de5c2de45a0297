/**
 * Who is asking, from the interaction alone (no store call, so it can run before the
 * acknowledgement): the member reference, their language, and whether they are an admin by id or
 * by one of the configured roles.
 */
import type { Interaction } from "discord.js";
import type { Invocation } from "../../../commands/runtime.ts";
import type { Caps } from "../../../commands/types.ts";
import type { DiscordConfig } from "../../config.ts";
import type { I18n } from "../../ui/i18n.ts";

/** A select menu holds 25 options: one picker page is one select. */
export const DISCORD_CAPS: Caps = { platform: "discord", pickerPageSize: 25 };

export type AdminRule = Pick<DiscordConfig, "adminRoleIds" | "adminUserIds">;

/** A listed user, or a guild member holding a listed role (Discord's command permissions only hide /admin). */
export function isAdmin(interaction: Interaction, rule: AdminRule): boolean {
  if (rule.adminUserIds.includes(interaction.user.id)) return true;
  if (rule.adminRoleIds.length === 0 || !interaction.inGuild()) return false;
  const { member } = interaction;
  const roles: Iterable<string> = Array.isArray(member.roles) ? member.roles : member.roles.cache.keys();
  for (const role of roles) if (rule.adminRoleIds.includes(role)) return true;
  return false;
}

export function invocationOf(interaction: Interaction, i18n: I18n, rule: AdminRule): Invocation {
  const { user } = interaction;
  return {
    member: {
      platform: "discord",
      userId: user.id,
      locale: i18n.resolveLocale(interaction.locale),
      displayName: user.globalName ?? user.username,
    },
    isAdmin: isAdmin(interaction, rule),
    caps: DISCORD_CAPS,
    requestId: interaction.id,
  };
}
