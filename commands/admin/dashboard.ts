/**
 * `/admin dashboard`: a single-use sign-in link for the web dashboard, bound to the moderator
 * who asked and answered only to them (Discord: ephemeral; Telegram: /admin runs only in the
 * private chat). The platform has just vouched that they are an admin, which the dashboard
 * remembers for moderators it cannot check by id (Discord roles).
 */
import type { I18n, Locale } from "../../src/ui/i18n.ts";
import { message, type View } from "../../src/ui/view.ts";
import { type CommandContext, type Reply, view } from "../types.ts";
import type { AdminSubcommand } from "./subcommand.ts";

export function dashboardLinkView(i18n: I18n, locale: Locale, url: string, minutes: number): View {
  return message("info", i18n.t(locale, "admin.dashboardLink", { url, minutes }), { ephemeral: true });
}

export async function dashboardLink(ctx: CommandContext): Promise<Reply> {
  const { dashboard, i18n, config, logger } = ctx.core;
  await dashboard.moderators.vouch(ctx.memberId);
  const link = await dashboard.links.mint(ctx.memberId);
  logger.info({ memberId: ctx.memberId }, "dashboard sign-in link issued");
  return view(
    dashboardLinkView(i18n, ctx.locale, dashboard.signInUrl(link.token), config.dashboard.linkMinutes),
  );
}

export const dashboard: AdminSubcommand = {
  definition: { name: "dashboard", descriptionKey: "commands.admin.subcommands.dashboard", options: [] },
  run: dashboardLink,
};
