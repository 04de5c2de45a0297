/**
 * One audit-channel line per event, in the community's language: who, what, how much, which
 * trade, and the balances before and after. Never a trade URL or a token: only ids and amounts.
 */
import type { AuditEvent } from "../../core/audit-events.ts";
import type { I18n, Locale } from "../i18n.ts";
import { journalOpKey } from "./account-views.ts";

/** `name(id)`: a member or actor id in words (display name, never the internal id). */
export function auditLine(i18n: I18n, locale: Locale, e: AuditEvent, name: (id: string) => string): string {
  const money = (cents: number, signed = false) => i18n.money(locale, cents, { signed });
  if (e.kind === "money") {
    const { entry, after } = e;
    const parts = [
      i18n.t(locale, "audit.money", {
        date: i18n.date(locale, entry.at),
        member: name(entry.memberId),
        op: i18n.t(locale, journalOpKey(entry)),
        amount: money(
          entry.availableDeltaCents !== 0 ? entry.availableDeltaCents : entry.heldDeltaCents,
          true,
        ),
        before: money(after.availableCents - entry.availableDeltaCents),
        after: money(after.availableCents),
        heldBefore: money(after.heldCents - entry.heldDeltaCents),
        heldAfter: money(after.heldCents),
      }),
    ];
    if (entry.tradeId) parts.push(i18n.t(locale, "admin.lookup.trade", { trade: entry.tradeId }));
    if (entry.op === "adjust") parts.push(i18n.t(locale, "admin.lookup.reason", { reason: entry.reason }));
    if (entry.actor) parts.push(i18n.t(locale, "admin.lookup.by", { name: name(entry.actor) }));
    return parts.join(" · ");
  }
  const action =
    e.kind === "switch"
      ? i18n.t(locale, `admin.${e.paused ? "paused" : "resumed"}.${e.name}`)
      : i18n.t(locale, e.locked ? "admin.locked" : "admin.unlocked", { member: name(e.memberId) });
  return i18n.t(locale, "audit.action", { date: i18n.date(locale, e.at), actor: name(e.actor), action });
}
