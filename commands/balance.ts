/** /balance: what the member holds, and the last few moves of their journal. */
import { balanceView } from "../src/ui/views/account-views.ts";
import { type CommandDefinition, view } from "./types.ts";

export const balance: CommandDefinition = {
  name: "balance",
  descriptionKey: "commands.balance.description",
  options: [],
  privateOnly: true,
  async run(ctx) {
    const [balance, journal] = await Promise.all([
      ctx.core.ledger.balance(ctx.memberId),
      ctx.core.ledger.journal(ctx.memberId, { limit: 5 }),
    ]);
    return view(balanceView(ctx.core.i18n, ctx.locale, balance, journal));
  },
};
