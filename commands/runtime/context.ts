/**
 * The invocation context: who pressed or typed (the chat identity a platform saw), resolved to
 * the wallet they act for and the language they read, once per command or press.
 */
import { randomUUID } from "node:crypto";
import { type MemberRef, memberIdOf } from "../../src/core/members.ts";
import type { Locale } from "../../src/ui/i18n.ts";
import { isLocale } from "../../src/ui/locales.ts";
import type { Caps, CommandContext, CommandCore } from "../types.ts";

/** What a platform knows about an event: the member, whether it vouches they are an admin, its limits. */
export interface Invocation {
  member: MemberRef;
  isAdmin: boolean;
  caps: Caps;
  requestId?: string;
}

export async function contextFor(core: CommandCore, inv: Invocation): Promise<CommandContext> {
  const profile = await core.members.touch(inv.member);
  const chatId = memberIdOf(inv.member);
  // A chat identity joined to another's wallet acts as that wallet everywhere below.
  const memberId = await core.identities.resolve(chatId);
  await core.identities.noteUse(chatId, memberId);
  const locale = (
    profile.localeOverride && isLocale(profile.localeOverride) ? profile.localeOverride : inv.member.locale
  ) as Locale;
  return {
    core,
    member: inv.member,
    memberId,
    locale: isLocale(locale) ? locale : core.i18n.defaultLocale,
    isAdmin: inv.isAdmin,
    requestId: inv.requestId ?? randomUUID(),
    caps: inv.caps,
  };
}
