/**
 * Members as a moderator knows them: the display name the platform last reported, or, for a
 * member the bot has never seen speak, "Telegram user 1001" — never the internal `telegram:1001`.
 * Names are plain text (no mention markup), so naming a member never pings them.
 */
import type { Core } from "../src/app.ts";
import type { MemberId } from "../src/core/ledger.ts";
import { parseMemberId } from "../src/core/members.ts";
import type { Locale } from "../src/ui/i18n.ts";

const PLATFORM_NAMES = { discord: "Discord", telegram: "Telegram", console: "Console" } as const;

/** The words for one member id (`admin:` actor prefixes are read through). */
export async function memberName(core: Core, locale: Locale, id: string): Promise<string> {
  const memberId: MemberId = id.startsWith("admin:") ? id.slice("admin:".length) : id;
  const parsed = parseMemberId(memberId);
  if (!parsed) return id;
  const profile = await core.members.get(memberId);
  if (profile.displayName) return profile.displayName;
  return core.i18n.t(locale, "admin.memberUnnamed", {
    platform: PLATFORM_NAMES[parsed.platform],
    id: parsed.userId,
  });
}

/** Names for many ids at once (each looked up once). */
export async function memberNames(
  core: Core,
  locale: Locale,
  ids: Iterable<string | undefined>,
): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].filter((id): id is string => id !== undefined && id !== ""))];
  const names = await Promise.all(unique.map((id) => memberName(core, locale, id)));
  return new Map(unique.map((id, i) => [id, names[i] as string]));
}

/**
 * Remembers the name a platform showed the moderator for a member it picked (Discord resolves
 * a user option to a name), so later views and alerts can say it. Only fills a missing name:
 * the member's own interactions keep it current.
 */
export async function rememberName(core: Core, memberId: MemberId, name: unknown): Promise<void> {
  if (typeof name !== "string" || name.trim() === "") return;
  const profile = await core.members.get(memberId);
  if (profile.displayName) return;
  await core.members.update(memberId, (p) => {
    p.displayName = name.trim().slice(0, 64);
    return p;
  });
}
