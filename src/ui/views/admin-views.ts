/**
 * Moderator views: a member lookup (balance, status, recent trades and journal) and the
 * one-line confirmations of admin actions.
 */

import type { TradeStatus } from "../../assetpay/schemas.ts";
import type { MemberReport } from "../../core/admin.ts";
import type { CommunityEvent } from "../../core/community-log.ts";
import type { LedgerTotals } from "../../core/ledger.ts";
import type { I18n, Locale } from "../i18n.ts";
import { type Block, fields, message, text, type View } from "../view.ts";
import { statusText } from "./account-views.ts";

export function lookupView(i18n: I18n, locale: Locale, r: MemberReport, shownName: string): View {
  const t = (k: Parameters<I18n["t"]>[1], p?: Record<string, string | number>) => i18n.t(locale, k, p);
  const status = r.profile.locked
    ? t("admin.memberStatus.locked")
    : r.profile.withdrawalsLocked
      ? t("admin.memberStatus.withdrawalsLocked")
      : t("admin.memberStatus.active");
  const blocks: Block[] = [
    fields(
      { label: t("admin.lookup.steam"), value: r.link?.steamId ?? t("admin.lookup.notLinked") },
      { label: t("admin.lookup.available"), value: i18n.money(locale, r.balance.availableCents) },
      { label: t("admin.lookup.held"), value: i18n.money(locale, r.balance.heldCents) },
      { label: t("admin.lookup.status"), value: status },
    ),
  ];
  if (r.trades.length > 0) {
    blocks.push(text({ text: t("admin.lookup.recentTrades"), bold: true }));
    for (const tr of r.trades.slice(0, 5)) {
      blocks.push(
        text(
          `${i18n.date(locale, tr.createdAt)} · ${t(tr.kind === "deposit" ? "common.tradeType.deposit" : "common.tradeType.withdraw")} · ${i18n.money(locale, tr.totalCents)} · ${statusText(i18n, locale, tr.status)}`,
        ),
      );
    }
  }
  if (r.journal.length > 0) {
    blocks.push(text({ text: t("admin.lookup.recentJournal"), bold: true }));
    for (const e of r.journal.slice(0, 5)) {
      const delta = e.availableDeltaCents + e.heldDeltaCents;
      blocks.push(
        text(
          `${i18n.date(locale, e.at)} · ${e.reason} · ${i18n.money(locale, e.availableDeltaCents, { signed: true })}${e.heldDeltaCents !== 0 ? ` (${i18n.money(locale, delta, { signed: true })})` : ""}${e.actor ? ` · ${e.actor}` : ""}`,
        ),
      );
    }
  }
  return {
    tone: "info",
    title: t("admin.lookup.title", { member: shownName }),
    blocks,
    buttons: [],
    ephemeral: true,
  };
}

export function liabilitiesView(i18n: I18n, locale: Locale, totals: LedgerTotals): View {
  return {
    tone: "info",
    blocks: [
      fields(
        { label: i18n.t(locale, "balance.available"), value: i18n.money(locale, totals.availableCents) },
        { label: i18n.t(locale, "balance.held"), value: i18n.money(locale, totals.heldCents) },
        {
          label: i18n.t(locale, "balance.total"),
          value: i18n.money(locale, totals.availableCents + totals.heldCents),
        },
      ),
    ],
    buttons: [],
    ephemeral: true,
  };
}

export function walletView(
  i18n: I18n,
  locale: Locale,
  wallet: { balanceCents: number } | undefined,
  totals: LedgerTotals,
): View {
  const owed = totals.availableCents + totals.heldCents;
  const blocks: Block[] = [
    fields(
      {
        label: i18n.t(locale, "community.wallet"),
        value: wallet ? i18n.money(locale, wallet.balanceCents) : "—",
      },
      { label: i18n.t(locale, "community.liabilities"), value: i18n.money(locale, owed) },
    ),
  ];
  if (wallet) {
    const shortfall = owed - wallet.balanceCents;
    blocks.push(
      text(
        shortfall > 0
          ? i18n.t(locale, "community.notCovered", { shortfall: i18n.money(locale, shortfall) })
          : i18n.t(locale, "community.covered"),
      ),
    );
  }
  const covered = wallet !== undefined && owed <= wallet.balanceCents;
  return {
    tone: covered ? "success" : "warning",
    title: i18n.t(locale, "community.walletTitle"),
    blocks,
    buttons: [],
    ephemeral: true,
  };
}

export const AUDIT_ROWS = 10;

export function communityAuditView(i18n: I18n, locale: Locale, events: CommunityEvent[]): View {
  if (events.length === 0)
    return message("info", i18n.t(locale, "community.auditEmpty"), { ephemeral: true });
  return {
    tone: "info",
    title: i18n.t(locale, "community.auditTitle"),
    // Ten lines of bounded length keep the page within one message on every platform.
    blocks: events.slice(0, AUDIT_ROWS).map((e) =>
      text(
        i18n.t(locale, "community.auditLine", {
          date: i18n.date(locale, e.at),
          kind: i18n.t(
            locale,
            e.kind === "liquidation" ? "community.kind.liquidation" : "community.kind.giveaway",
          ),
          status: statusText(i18n, locale, e.status as TradeStatus),
          amount: i18n.money(locale, e.totalCents),
          items: e.items.join(", ").slice(0, 100),
          actor: e.actor,
        }),
      ),
    ),
    buttons: [],
    ephemeral: true,
  };
}
