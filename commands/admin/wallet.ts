/** /admin wallet: the merchant wallet beside what the ledger owes members. */
import { walletView } from "../../src/ui/views/admin-views.ts";
import { view } from "../types.ts";
import type { AdminSubcommand } from "./subcommand.ts";

export const wallet: AdminSubcommand = {
  definition: { name: "wallet", descriptionKey: "commands.admin.subcommands.wallet", options: [] },
  async run(ctx) {
    const [wallet, totals] = await Promise.all([ctx.core.admin.wallet(), ctx.core.admin.liabilities()]);
    return view(walletView(ctx.core.i18n, ctx.locale, wallet, totals));
  },
};
