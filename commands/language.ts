/** /language: the member's own choice of language, over what their platform reports. */
import { CoreError } from "../src/core/errors.ts";
import type { MemberId } from "../src/core/ledger.ts";
import type { ActionRef } from "../src/ui/action-id.ts";
import { isLocale, LOCALE_NAMES, SUPPORTED_LOCALES } from "../src/ui/locales.ts";
import { message, type View } from "../src/ui/view.ts";
import { languageView } from "../src/ui/views/account-views.ts";
import { type CommandContext, type CommandDefinition, view } from "./types.ts";

/** The language buttons carry whose they are, in the characters a button id allows. */
const buttonsOwner = (memberId: MemberId) => memberId.replace(/[^A-Za-z0-9_-]/g, "_");

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
  privateOnly: true,
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
    return view(languageView(ctx.core.i18n, ctx.locale, buttonsOwner(ctx.memberId)));
  },
};

/** A press on one of the language buttons: only the member they were shown to may choose. */
export async function chooseLanguage(ctx: CommandContext, ref: ActionRef): Promise<View> {
  if (ref.session !== buttonsOwner(ctx.memberId)) throw new CoreError("pickerNotYours");
  const chosen = ref.arg;
  if (!chosen || !isLocale(chosen)) throw new CoreError("internal");
  await ctx.core.members.update(ctx.memberId, (p) => {
    p.localeOverride = chosen;
    return p;
  });
  return languageView(ctx.core.i18n, chosen, ref.session);
}
