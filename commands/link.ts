import { CoreError } from "../src/core/errors.ts";
import { message, text } from "../src/ui/view.ts";
import { linkedView, linkShowView } from "../src/ui/views/account-views.ts";
import { type CommandDefinition, view } from "./types.ts";

export const link: CommandDefinition = {
  name: "link",
  descriptionKey: "commands.link.description",
  options: [
    { name: "trade_url", type: "string", descriptionKey: "commands.link.options.tradeurl", maxLength: 200 },
  ],
  async run(ctx, args) {
    const { i18n, accounts } = ctx.core;
    const url = typeof args.trade_url === "string" ? args.trade_url.trim() : "";
    if (url === "") {
      const current = linkShowView(i18n, ctx.locale, await accounts.get(ctx.memberId));
      const prompt = { ...current, blocks: [...current.blocks, text(i18n.t(ctx.locale, "link.prompt"))] };
      return { kind: "ask", field: "trade_url", command: "link", prompt };
    }
    const before = await accounts.get(ctx.memberId);
    const linked = await accounts.link(ctx.memberId, url);
    return view(linkedView(i18n, ctx.locale, linked, before !== undefined));
  },
};

export const unlink: CommandDefinition = {
  name: "unlink",
  descriptionKey: "commands.unlink.description",
  options: [],
  async run(ctx) {
    const { records, i18n, accounts } = ctx.core;
    const recent = await records.ofMember(ctx.memberId, 20);
    if (recent.some((r) => r.phase === "started" || r.phase === "open")) {
      return view(message("warning", i18n.t(ctx.locale, "link.unlinkBlocked"), { ephemeral: true }));
    }
    const removed = await accounts.unlink(ctx.memberId);
    if (!removed) throw new CoreError("notLinked");
    return view(message("success", i18n.t(ctx.locale, "link.unlinked"), { ephemeral: true }));
  },
};
