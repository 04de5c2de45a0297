import { isLocale, LOCALE_NAMES, SUPPORTED_LOCALES } from "../src/ui/locales.ts";
import { message } from "../src/ui/view.ts";
import { languageView } from "../src/ui/views/account-views.ts";
import { type CommandDefinition, view } from "./types.ts";

export const language: CommandDefinition = {
  name: "language",
  descriptionKey: "commands.language.description",
  options: [
    {
      name: "language",
      type: "string",
      descriptionKey: "commands.language.options.language",
      choices: SUPPORTED_LOCALES.map((code) => ({ value: code, name: LOCALE_NAMES[code] })),
    },
  ],
  async run(ctx, args) {
    const chosen = typeof args.language === "string" ? args.language : undefined;
    if (chosen && isLocale(chosen)) {
      await ctx.core.members.update(ctx.memberId, (p) => {
        p.localeOverride = chosen;
        return p;
      });
      return view(
        message("success", ctx.core.i18n.t(chosen, "language.set", { language: LOCALE_NAMES[chosen] }), {
          ephemeral: true,
        }),
      );
    }
    return view(languageView(ctx.core.i18n, ctx.locale, ctx.memberId.replace(/[^A-Za-z0-9_-]/g, "_")));
  },
};
