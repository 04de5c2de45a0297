/**
 * The moderators' audit channel: it sees every applied move and lock and names each member by
 * their label in the community's default language. It posts only once a platform has added the
 * channel or chat the community configured.
 */
import type { Logger } from "pino";
import { createAuditChannel } from "../audit/audit-channel.ts";
import type { Config } from "../config.ts";
import type { Members } from "../core/members.ts";
import type { I18n } from "../ui/i18n.ts";
import { memberLabel } from "../ui/member-label.ts";
import { auditLine } from "../ui/views/audit-views.ts";

export function createAppAudit(deps: {
  config: Config;
  logger: Logger;
  members: Members;
  i18n: I18n;
  flushMs: number | undefined;
}) {
  const { config, members, i18n } = deps;
  return createAuditChannel({
    logger: deps.logger.child({ component: "audit" }),
    ...(deps.flushMs !== undefined ? { flushMs: deps.flushMs } : {}),
    async format(event) {
      const locale = config.i18n.defaultLocale;
      const ids = event.kind === "money" ? [event.entry.memberId, event.entry.actor] : [event.actor];
      if (event.kind === "lock") ids.push(event.memberId);
      const names = new Map<string, string>();
      for (const id of ids) if (id) names.set(id, await memberLabel(members, i18n, locale, id));
      return auditLine(i18n, locale, event, (id) => names.get(id) ?? id);
    },
  });
}
