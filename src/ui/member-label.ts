/**
 * A member as people know them: the display name the platform last reported, or, for a member
 * the bot has never seen speak, "Telegram user 1001" — never the internal `telegram:1001`.
 * Plain text (no mention markup), so naming a member never pings them.
 */
import type { MemberId } from "../core/ledger.ts";
import { type Members, parseMemberId } from "../core/members.ts";
import type { I18n, Locale } from "./i18n.ts";

const PLATFORM_NAMES = { discord: "Discord", telegram: "Telegram", console: "Console" } as const;

/** The words for one member id (`admin:` actor prefixes are read through; other ids stay as they are). */
export async function memberLabel(
  members: Pick<Members, "get">,
  i18n: I18n,
  locale: Locale,
  id: string,
): Promise<string> {
  const memberId: MemberId = id.startsWith("admin:") ? id.slice("admin:".length) : id;
  const parsed = parseMemberId(memberId);
  if (!parsed) return id;
  const profile = await members.get(memberId);
  if (profile.displayName) return profile.displayName;
  return i18n.t(locale, "admin.memberUnnamed", {
    platform: PLATFORM_NAMES[parsed.platform],
    id: parsed.userId,
  });
}
