/** Members as a moderator knows them, for the commands (see src/ui/member-label.ts). */

import type { MemberId } from "../src/core/ledger.ts";
import type { Locale } from "../src/ui/i18n.ts";
import { memberLabel } from "../src/ui/member-label.ts";
import type { CommandCore } from "./types.ts";

/** The words for one member id (`admin:` actor prefixes are read through). */
export function memberName(core: CommandCore, locale: Locale, id: string): Promise<string> {
  return memberLabel(core.members, core.i18n, locale, id);
}

/** Names for many ids at once (each looked up once). */
export async function memberNames(
  core: CommandCore,
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
export async function rememberName(core: CommandCore, memberId: MemberId, name: unknown): Promise<void> {
  if (typeof name !== "string" || name.trim() === "") return;
  const profile = await core.members.get(memberId);
  if (profile.displayName) return;
  await core.members.update(memberId, (p) => {
    p.displayName = name.trim().slice(0, 64);
    return p;
  });
}
