/** /admin adjust: a moderator's correction of a member's available balance, with its reason. */
import { CoreError } from "../../src/core/errors.ts";
import { message } from "../../src/ui/view.ts";
import { view } from "../types.ts";
import { type AdminSubcommand, actorOf, memberOption, namedTargetOf, reasonOption } from "./subcommand.ts";

/** "12.50", "-5", "+3.1" → cents; anything else is refused rather than guessed. */
export function parseAmount(input: unknown): number {
  const s = String(input ?? "")
    .trim()
    .replace(",", ".");
  const m = /^([+-])?(\d{1,7})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new CoreError("amountInvalid");
  const cents = Number(m[2]) * 100 + Number((m[3] ?? "0").padEnd(2, "0"));
  if (cents === 0) throw new CoreError("amountInvalid");
  return m[1] === "-" ? -cents : cents;
}

export const adjust: AdminSubcommand = {
  definition: {
    name: "adjust",
    descriptionKey: "commands.admin.subcommands.adjust",
    options: [
      memberOption,
      {
        name: "amount",
        type: "string",
        descriptionKey: "commands.admin.options.amount",
        required: true,
        maxLength: 12,
      },
      reasonOption,
    ],
  },
  async run(ctx, args) {
    const { i18n } = ctx.core;
    const { id, name } = await namedTargetOf(ctx, args);
    const amount = parseAmount(args.amount);
    const r = await ctx.core.admin.adjust({
      actor: actorOf(ctx),
      memberId: id,
      amountCents: amount,
      reason: String(args.reason ?? ""),
      requestId: ctx.requestId,
    });
    return view(
      message(
        "success",
        i18n.t(ctx.locale, "admin.adjusted", {
          member: name,
          amount: i18n.money(ctx.locale, amount, { signed: true }),
          balance: i18n.money(ctx.locale, r.balance.availableCents),
          reason: String(args.reason ?? "").trim(),
        }),
        { ephemeral: true },
      ),
    );
  },
};
