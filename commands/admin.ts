/**
 * /admin: moderator tools. Hidden from members by each platform (Discord default member
 * permissions, Telegram's admin-only command scope) and checked again here at run time. Each
 * subcommand is one file under `admin/`, its definition beside its handler; this only lists them.
 */
import { CoreError } from "../src/core/errors.ts";
import { commandUsageView } from "../src/ui/views/usage-view.ts";
import { adjust } from "./admin/adjust.ts";
import { audit } from "./admin/audit.ts";
import { cancel } from "./admin/cancel.ts";
import { dashboard } from "./admin/dashboard.ts";
import { giveaway } from "./admin/giveaway.ts";
import { liquidate } from "./admin/liquidate.ts";
import { lock } from "./admin/lock.ts";
import { lookup } from "./admin/lookup.ts";
import { move } from "./admin/move.ts";
import { pause } from "./admin/pause.ts";
import { resume } from "./admin/resume.ts";
import { split } from "./admin/split.ts";
import type { AdminSubcommand } from "./admin/subcommand.ts";
import { unlock } from "./admin/unlock.ts";
import { wallet } from "./admin/wallet.ts";
import { type CommandDefinition, view } from "./types.ts";

/** In the order platforms list them. */
const SUBCOMMANDS: readonly AdminSubcommand[] = [
  lookup,
  adjust,
  pause,
  resume,
  lock,
  unlock,
  split,
  wallet,
  giveaway,
  liquidate,
  cancel,
  audit,
  dashboard,
  move,
];

const byName = (name: string | undefined) => SUBCOMMANDS.find((s) => s.definition.name === name);

export const admin: CommandDefinition = {
  name: "admin",
  descriptionKey: "commands.admin.description",
  adminOnly: true,
  privateOnly: true,
  options: [],
  subcommands: SUBCOMMANDS.map((s) => s.definition),
  async autocomplete(ctx, option, value, filled = {}) {
    // Discord says which subcommand's option is being typed only through the option's name.
    const sub = SUBCOMMANDS.find(
      (s) => s.autocomplete && s.definition.options.some((o) => o.name === option),
    );
    return sub?.autocomplete ? sub.autocomplete(ctx, option, value, filled) : [];
  },
  async run(ctx, args, subcommand) {
    if (!ctx.isAdmin) throw new CoreError("notAdmin");
    const sub = byName(subcommand);
    // A bare `/admin` or a subcommand that isn't one (typed in the demo): what there is.
    if (!sub) return view(commandUsageView(ctx.core.i18n, ctx.locale, admin));
    return sub.run(ctx, args);
  },
};
