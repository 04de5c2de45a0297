/** /admin pause: stop new deposits or withdrawals for everyone (/admin resume restarts them). */
import { CoreError } from "../../src/core/errors.ts";
import type { SwitchName } from "../../src/core/switches.ts";
import { message } from "../../src/ui/view.ts";
import { type Args, type CommandContext, type CommandOption, type Reply, view } from "../types.ts";
import { type AdminSubcommand, actorOf } from "./subcommand.ts";

export const whatOption: CommandOption = {
  name: "what",
  type: "string",
  descriptionKey: "commands.admin.options.what",
  required: true,
  choices: [
    { value: "deposits", nameKey: "common.tradeType.deposit" },
    { value: "withdrawals", nameKey: "common.tradeType.withdraw" },
  ],
};

export async function setPaused(ctx: CommandContext, args: Args, sub: "pause" | "resume"): Promise<Reply> {
  if (args.what !== "deposits" && args.what !== "withdrawals") throw new CoreError("internal");
  const name: SwitchName = args.what;
  await ctx.core.admin.setPaused(name, sub === "pause", actorOf(ctx));
  return view(
    message(
      "success",
      ctx.core.i18n.t(ctx.locale, `admin.${sub === "pause" ? "paused" : "resumed"}.${name}`),
      {
        ephemeral: true,
      },
    ),
  );
}

export const pause: AdminSubcommand = {
  definition: { name: "pause", descriptionKey: "commands.admin.subcommands.pause", options: [whatOption] },
  run: (ctx, args) => setPaused(ctx, args, "pause"),
};
