/**
 * /start (Telegram's first contact, with deep-link payloads like `deposit` or `link` that a group
 * button sends the member to the private chat with).
 */
import { message } from "../src/ui/view.ts";
import { type CommandDefinition, view } from "./types.ts";

export const DEEP_LINKS = ["deposit", "withdraw", "link", "balance", "trades", "inbox", "help"] as const;

export const start: CommandDefinition = {
  name: "start",
  descriptionKey: "commands.start.description",
  options: [{ name: "payload", type: "string", descriptionKey: "commands.start.description" }],
  platforms: ["telegram", "console"],
  privateOnly: true,
  async run(ctx) {
    return view(message("info", ctx.core.i18n.t(ctx.locale, "start.welcome"), { ephemeral: true }));
  },
};
