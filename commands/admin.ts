/**
 * /admin: moderator tools. Hidden from members by each platform (Discord default member
 * permissions, Telegram's admin-only command scope) and checked again here at run time.
 */
import { CoreError, upstreamErrorKey } from "../src/core/errors.ts";
import { memberIdOf } from "../src/core/members.ts";
import { parseTradeUrl } from "../src/core/steam.ts";
import type { SwitchName } from "../src/core/switches.ts";
import { message } from "../src/ui/view.ts";
import { communityAuditView, lookupView, walletView } from "../src/ui/views/admin-views.ts";
import { commandUsageView } from "../src/ui/views/usage-view.ts";
import { dashboardLink } from "./admin-dashboard.ts";
import { gameIdOf, gameOption } from "./deposit.ts";
import { marketSuggestions } from "./market-suggestions.ts";
import { memberName, memberNames, rememberName } from "./member-names.ts";
import { pickerReply } from "./picker-reply.ts";
import {
  type Args,
  type CommandContext,
  type CommandDefinition,
  type CommandOption,
  type Reply,
  view,
} from "./types.ts";
import { giveaway } from "./withdraw.ts";

const member: CommandOption = {
  name: "member",
  type: "user",
  descriptionKey: "commands.admin.options.member",
  required: true,
};
const reason: CommandOption = {
  name: "reason",
  type: "string",
  descriptionKey: "commands.admin.options.reason",
  required: true,
  maxLength: 200,
};
const what: CommandOption = {
  name: "what",
  type: "string",
  descriptionKey: "commands.admin.options.what",
  required: true,
  choices: [
    { value: "deposits", nameKey: "common.tradeType.deposit" },
    { value: "withdrawals", nameKey: "common.tradeType.withdraw" },
  ],
};

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

export const admin: CommandDefinition = {
  name: "admin",
  descriptionKey: "commands.admin.description",
  adminOnly: true,
  options: [],
  subcommands: [
    { name: "lookup", descriptionKey: "commands.admin.subcommands.lookup", options: [member] },
    {
      name: "adjust",
      descriptionKey: "commands.admin.subcommands.adjust",
      options: [
        member,
        {
          name: "amount",
          type: "string",
          descriptionKey: "commands.admin.options.amount",
          required: true,
          maxLength: 12,
        },
        reason,
      ],
    },
    { name: "pause", descriptionKey: "commands.admin.subcommands.pause", options: [what] },
    { name: "resume", descriptionKey: "commands.admin.subcommands.resume", options: [what] },
    { name: "lock", descriptionKey: "commands.admin.subcommands.lock", options: [member, reason] },
    { name: "unlock", descriptionKey: "commands.admin.subcommands.unlock", options: [member] },
    { name: "split", descriptionKey: "commands.admin.subcommands.split", options: [member] },
    { name: "wallet", descriptionKey: "commands.admin.subcommands.wallet", options: [] },
    {
      name: "giveaway",
      descriptionKey: "commands.admin.subcommands.giveaway",
      options: [
        member,
        {
          name: "item",
          type: "string",
          descriptionKey: "commands.admin.options.item",
          required: true,
          autocomplete: true,
          maxLength: 100,
        },
        gameOption("commands.admin.options.game"),
      ],
    },
    {
      name: "liquidate",
      descriptionKey: "commands.admin.subcommands.liquidate",
      options: [
        {
          name: "trade_url",
          type: "string",
          descriptionKey: "commands.admin.options.tradeurl",
          required: true,
          maxLength: 200,
        },
        gameOption("commands.deposit.options.game"),
      ],
    },
    {
      name: "cancel",
      descriptionKey: "commands.admin.subcommands.cancel",
      options: [
        {
          name: "trade",
          type: "string",
          descriptionKey: "commands.admin.options.trade",
          required: true,
          maxLength: 128,
        },
        {
          name: "item",
          type: "string",
          descriptionKey: "commands.admin.options.itemid",
          required: true,
          maxLength: 128,
        },
      ],
    },
    { name: "audit", descriptionKey: "commands.admin.subcommands.audit", options: [] },
    { name: "dashboard", descriptionKey: "commands.admin.subcommands.dashboard", options: [] },
    {
      name: "move",
      descriptionKey: "commands.admin.subcommands.move",
      options: [
        member,
        {
          name: "trade_url",
          type: "string",
          descriptionKey: "commands.link.options.tradeurl",
          required: true,
          maxLength: 200,
        },
      ],
    },
  ],
  async autocomplete(ctx, option, value, filled: Args = {}) {
    if (!ctx.isAdmin || option !== "item" || value.trim().length < 2) return [];
    // Suggestions need some member's client token: the recipient's (already chosen in the
    // member option), else the admin's own link, when there is one.
    const recipient =
      typeof filled.member === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(filled.member)
        ? memberIdOf({ platform: ctx.caps.platform, userId: filled.member })
        : undefined;
    const searcher = [recipient, ctx.memberId].filter((m): m is string => m !== undefined);
    for (const memberId of searcher) {
      if (!(await ctx.core.accounts.get(memberId))) continue;
      return marketSuggestions(ctx, memberId, value, gameIdOf(filled.game));
    }
    return [];
  },
  async run(ctx, args, sub) {
    if (!ctx.isAdmin) throw new CoreError("notAdmin");
    const { admin: ops, i18n } = ctx.core;
    const t = i18n.t.bind(i18n);
    const actor = `admin:${ctx.memberId}`;
    const target = () => {
      const id = String(args.member ?? "").trim();
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new CoreError("unknownMember");
      return memberIdOf({ platform: ctx.caps.platform, userId: id });
    };
    // Discord resolves the picked member to a name; remember it so every later view can say it.
    const named = async () => {
      const id = target();
      await rememberName(ctx.core, id, args.memberName);
      return { id, name: await memberName(ctx.core, ctx.locale, id) };
    };
    const switchName = (): SwitchName => {
      if (args.what === "deposits" || args.what === "withdrawals") return args.what;
      throw new CoreError("internal");
    };
    switch (sub) {
      case "lookup": {
        const { id } = await named();
        const report = await ops.lookup(id);
        const names = await memberNames(ctx.core, ctx.locale, [id, ...report.journal.map((e) => e.actor)]);
        return view(lookupView(i18n, ctx.locale, report, names));
      }
      case "adjust": {
        const { id, name } = await named();
        const amount = parseAmount(args.amount);
        const r = await ops.adjust({
          actor,
          memberId: id,
          amountCents: amount,
          reason: String(args.reason ?? ""),
          requestId: ctx.requestId,
        });
        return view(
          message(
            "success",
            t(ctx.locale, "admin.adjusted", {
              member: name,
              amount: i18n.money(ctx.locale, amount, { signed: true }),
              balance: i18n.money(ctx.locale, r.balance.availableCents),
              reason: String(args.reason ?? "").trim(),
            }),
            { ephemeral: true },
          ),
        );
      }
      case "pause":
      case "resume": {
        const name = switchName();
        await ops.setPaused(name, sub === "pause", actor);
        return view(
          message("success", t(ctx.locale, `admin.${sub === "pause" ? "paused" : "resumed"}.${name}`), {
            ephemeral: true,
          }),
        );
      }
      case "lock": {
        const { id, name } = await named();
        await ops.lock(id, String(args.reason ?? ""), actor);
        return view(message("success", t(ctx.locale, "admin.locked", { member: name }), { ephemeral: true }));
      }
      case "unlock": {
        const { id, name } = await named();
        await ops.unlock(id, actor);
        return view(
          message("success", t(ctx.locale, "admin.unlocked", { member: name }), { ephemeral: true }),
        );
      }
      case "wallet": {
        const [wallet, totals] = await Promise.all([ops.wallet(), ops.liabilities()]);
        return view(walletView(i18n, ctx.locale, wallet, totals));
      }
      case "giveaway": {
        const { id, name } = await named();
        // Only a linked member has a trade URL to receive the skin: say so before any search.
        if (!(await ctx.core.accounts.get(id)))
          return view(
            message("warning", t(ctx.locale, "community.recipientNotLinked", { member: name }), {
              ephemeral: true,
            }),
          );
        return giveaway(ctx, id, String(args.item ?? ""), gameIdOf(args.game));
      }
      case "liquidate": {
        const session = await ctx.core.trading.openLiquidation(ctx.memberId, {
          tradeUrl: String(args.trade_url ?? ""),
          game: gameIdOf(args.game),
          pageSize: ctx.caps.pickerPageSize,
        });
        return view(await pickerReply(ctx, session));
      }
      case "cancel":
        return cancelGiveawayItem(ctx, String(args.trade ?? "").trim(), String(args.item ?? "").trim());
      case "move": {
        // One Steam account belongs to one member per platform; only an admin may hand it over.
        const { id: to, name } = await named();
        const url = String(args.trade_url ?? "");
        const parsed = parseTradeUrl(url);
        if (!parsed) throw new CoreError("invalidTradeUrl");
        const moved = await ctx.core.accounts.move({ steamId: parsed.steamId, to, tradeUrl: url, actor });
        return view(
          message("success", t(ctx.locale, "admin.moved", { steamId: moved.steamId, member: name }), {
            ephemeral: true,
          }),
        );
      }
      case "dashboard":
        return dashboardLink(ctx);
      case "split": {
        // Undoes a join: the chat identity is its own member again; the money stays in the wallet.
        const id = target();
        const wallet = await ctx.core.identities.resolve(id);
        const split = await ctx.core.identities.split(id);
        const key = split ? "admin.split" : "admin.notJoined";
        return view(
          message(split ? "success" : "warning", t(ctx.locale, key, { member: id, wallet }), {
            ephemeral: true,
          }),
        );
      }
      case "audit":
        return view(await auditPage(ctx, 0));
      default:
        // A bare `/admin` or a subcommand that isn't one (typed in the demo): what there is.
        return view(commandUsageView(i18n, ctx.locale, admin));
    }
  },
};

/** Everything the community log keeps: paged in the view, one row per trade. */
const AUDIT_EVENTS = 500;

/** One page of the community audit, names resolved (who started each trade, who received it). */
export async function auditPage(ctx: CommandContext, page: number) {
  const events = await ctx.core.community.recent(AUDIT_EVENTS);
  const names = await memberNames(
    ctx.core,
    ctx.locale,
    events.flatMap((e) => [e.actor, e.recipient]),
  );
  return communityAuditView(ctx.core.i18n, ctx.locale, events, { page, names });
}

/**
 * /admin cancel: only an undelivered giveaway item of ours goes to AssetPay; anything else is
 * refused here in words, and AssetPay's 30-minute rule is told with the minutes left.
 */
async function cancelGiveawayItem(ctx: CommandContext, tradeRef: string, itemId: string): Promise<Reply> {
  const { records, i18n } = ctx.core;
  const record = (await records.byTradeId(tradeRef)) ?? (await records.byExternalId(tradeRef));
  if (record?.source !== "self" || record.kind !== "withdraw") {
    return view(
      message("warning", i18n.t(ctx.locale, "community.notAGiveaway", { trade: tradeRef }), {
        ephemeral: true,
      }),
    );
  }
  try {
    await ctx.core.trading.cancelSelfItem(ctx.memberId, tradeRef, itemId);
  } catch (err) {
    if (upstreamErrorKey(err) === "TRADE_CANCEL_TOO_SOON") {
      const ageMinutes = (Date.now() - Date.parse(record.createdAt)) / 60_000;
      throw new CoreError("cancelTooSoon", { minutes: Math.max(1, Math.ceil(30 - ageMinutes)) });
    }
    throw err;
  }
  return view(message("success", i18n.t(ctx.locale, "community.cancelRequested"), { ephemeral: true }));
}
