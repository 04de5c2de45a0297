import { CoreError } from "../src/core/errors.ts";
import { parseTradeUrl } from "../src/core/steam.ts";
import { message, text } from "../src/ui/view.ts";
import { linkedView, linkShowView } from "../src/ui/views/account-views.ts";
import { joinedView, provableLinkView, signInView } from "../src/ui/views/signin-views.ts";
import { assertFreeToJoin, withNoticeStatus } from "./join.ts";
import { type CommandContext, type CommandDefinition, type Reply, view } from "./types.ts";

export const link: CommandDefinition = {
  name: "link",
  descriptionKey: "commands.link.description",
  options: [
    { name: "trade_url", type: "string", descriptionKey: "commands.link.options.tradeurl", maxLength: 200 },
  ],
  privateOnly: true,
  ask: {
    option: "trade_url",
    titleKey: "link.modalTitle",
    labelKey: "link.modalLabel",
    placeholder: "https://steamcommunity.com/tradeoffer/new/?partner=…&token=…",
  },
  async run(ctx, args) {
    const { i18n, accounts } = ctx.core;
    const url = typeof args.trade_url === "string" ? args.trade_url.trim() : "";
    if (url === "") {
      const current = linkShowView(i18n, ctx.locale, await accounts.get(ctx.memberId));
      const prompt = { ...current, blocks: [...current.blocks, text(i18n.t(ctx.locale, "link.prompt"))] };
      return { kind: "ask", field: "trade_url", command: "link", prompt };
    }
    return linkWithPolicy(ctx, url);
  },
};

/**
 * STEAM_SIGNIN=required: nothing is linked until the member signs in as the trade URL's account
 * (the link is made when they press "I've signed in"). optional: linked now, proof offered.
 */
async function linkWithPolicy(ctx: CommandContext, url: string): Promise<Reply> {
  const { i18n, accounts, signIn, members } = ctx.core;
  // A locked member keeps the account they were locked with.
  if ((await members.get(ctx.memberId)).locked) throw new CoreError("memberLocked");
  if (signIn?.policy === "required") {
    const parsed = parseTradeUrl(url);
    if (!parsed) throw new CoreError("invalidTradeUrl");
    const locked = await accounts.steamLock(parsed.steamId);
    if (locked && locked.memberId !== ctx.memberId) throw new CoreError("steamAccountLocked");
    const owner = await accounts.ownerOf(ctx.member.platform, parsed.steamId);
    const ownerLink = owner !== undefined && owner !== ctx.memberId ? await accounts.get(owner) : undefined;
    if (ownerLink?.provenAt) throw new CoreError("steamAccountTaken");
    const started = await signIn.start(ctx.memberId, parsed.url, ctx.locale);
    return view(signInView(i18n, ctx.locale, parsed.steamId, started));
  }
  const before = await accounts.get(ctx.memberId);
  const linked = await accounts.link(ctx.memberId, url);
  const done = linkedView(i18n, ctx.locale, linked, before !== undefined);
  if (signIn?.policy !== "optional") return view(done);
  return view(
    provableLinkView(
      done,
      i18n,
      ctx.locale,
      linked,
      await signIn.start(ctx.memberId, linked.tradeUrl, ctx.locale),
    ),
  );
}

/** The "I've signed in" press: links, for the member who started the sign-in, once Steam confirmed it. */
export async function confirmSignIn(ctx: CommandContext, id: string) {
  const { i18n, accounts, signIn } = ctx.core;
  if (!signIn) throw new CoreError("signinExpired");
  await assertFreeToJoin(ctx);
  const before = await accounts.get(ctx.memberId);
  const { link: linked, joined } = await signIn.confirm(id, ctx.memberId);
  if (joined) return withNoticeStatus(ctx, joinedView(i18n, ctx.locale, joined.movedCents), joined.wallet);
  return linkedView(i18n, ctx.locale, linked, before !== undefined);
}

export const unlink: CommandDefinition = {
  name: "unlink",
  descriptionKey: "commands.unlink.description",
  options: [],
  privateOnly: true,
  async run(ctx) {
    const { i18n, unlinking } = ctx.core;
    const outcome = await unlinking.unlink(ctx.memberId);
    if (outcome.kind === "tradesInFlight") {
      return view(message("warning", i18n.t(ctx.locale, "link.unlinkBlocked"), { ephemeral: true }));
    }
    return view(message("success", i18n.t(ctx.locale, "link.unlinked"), { ephemeral: true }));
  },
};
