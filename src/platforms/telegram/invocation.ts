/**
 * Who is acting, in the core's terms: a Telegram user becomes a `telegram:<id>` member speaking
 * the language their app reports (unless they chose another with /language), an admin when their
 * id is configured.
 */
import type { User } from "grammy/types";
import type { Invocation } from "../../../commands/runtime.ts";
import type { Core } from "../../app.ts";
import { type MemberRef, memberIdOf } from "../../core/members.ts";
import type { Locale } from "../../ui/i18n.ts";
import { isLocale } from "../../ui/locales.ts";

/** Telegram shows about eight toggles comfortably on a phone screen. */
export const TELEGRAM_CAPS = { platform: "telegram", pickerPageSize: 8 } as const;

export function memberRefOf(core: Core, from: User): MemberRef {
  const name = [from.first_name, from.last_name].filter(Boolean).join(" ").trim();
  const ref: MemberRef = {
    platform: "telegram",
    userId: String(from.id),
    locale: core.i18n.resolveLocale(from.language_code),
  };
  if (name !== "") ref.displayName = name.slice(0, 64);
  else if (from.username) ref.displayName = from.username;
  return ref;
}

export function invocationOf(
  core: Core,
  from: User,
  admins: ReadonlySet<string>,
  requestId?: string,
): Invocation {
  const inv: Invocation = {
    member: memberRefOf(core, from),
    isAdmin: admins.has(String(from.id)),
    caps: { ...TELEGRAM_CAPS },
  };
  if (requestId !== undefined) inv.requestId = requestId;
  return inv;
}

/** The language to answer in outside a command (a refusal toast): the member's choice, else their app's. */
export async function localeOf(core: Core, from: User): Promise<Locale> {
  const ref = memberRefOf(core, from);
  const profile = await core.members.get(memberIdOf(ref));
  const chosen = profile.localeOverride;
  return chosen !== undefined && isLocale(chosen) ? chosen : core.i18n.resolveLocale(from.language_code);
}
