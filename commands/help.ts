/** /help: what the bot does and which commands there are (admins see theirs too). Safe in a group. */
import { helpView } from "../src/ui/views/account-views.ts";
import { type CommandDefinition, view } from "./types.ts";

export const help: CommandDefinition = {
  name: "help",
  descriptionKey: "commands.help.description",
  options: [],
  async run(ctx) {
    return view(helpView(ctx.core.i18n, ctx.locale, ctx.isAdmin));
  },
};
