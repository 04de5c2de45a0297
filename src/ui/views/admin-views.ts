/**
 * Moderator views: a member lookup (balance, status, recent trades and journal) and the
 * one-line confirmations of admin actions.
 */

import { isTerminal, type TradeStatus } from "../../assetpay/schemas.ts";
import type { MemberReport } from "../../core/admin.ts";
import type { CommunityEvent } from "../../core/community-log.ts";
import type { LedgerEntry, LedgerTotals } from "../../core/ledger.ts";
import type { TradeRecord } from "../../core/trade-records.ts";
import { ACTIONS } from "../action-id.ts";
import type { I18n, Locale, MessageKey } from "../i18n.ts";
import { type Block, type Button, fields, message, text, type View } from "../view.ts";
import { journalOpKey, statusText } from "./account-views.ts";

/** Names for the member ids a moderator view mentions (the member, admins, recipients). */
export type Names = ReadonlyMap<string, string>;

/** A trade's id as AssetPay support knows it (our external id until AssetPay has answered). */
const tradeRef = (r: { tradeId?: string; externalId: string }) => r.tradeId ?? r.externalId;

function tradeKindKey(r: TradeRecord): MessageKey {
  if (r.source === "self")
    return r.kind === "deposit" ? "admin.lookup.kindLiquidation" : "admin.lookup.kindGiveaway";
  return r.kind === "deposit" ? "common.tradeType.deposit" : "common.tradeType.withdraw";
}

/** One journal entry with every column named: what happened, both balances' changes, trade, who. */
function journalLine(i18n: I18n, locale: Locale, e: LedgerEntry, names: Names): string {
  const t = (k: MessageKey, p?: Record<string, string | number>) => i18n.t(locale, k, p);
  const parts = [
    t("admin.lookup.journalLine", {
      date: i18n.date(locale, e.at),
      op: t(journalOpKey(e)),
      available: i18n.money(locale, e.availableDeltaCents, { signed: true }),
      held: i18n.money(locale, e.heldDeltaCents, { signed: true }),
    }),
  ];
  if (e.tradeId) parts.push(t("admin.lookup.trade", { trade: e.tradeId }));
  if (e.op === "adjust") parts.push(t("admin.lookup.reason", { reason: e.reason }));
  if (e.actor) parts.push(t("admin.lookup.by", { name: names.get(e.actor) ?? e.actor }));
  return parts.join(" · ");
}

export function lookupView(i18n: I18n, locale: Locale, r: MemberReport, names: Names): View {
  const t = (k: MessageKey, p?: Record<string, string | number>) => i18n.t(locale, k, p);
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
          t("admin.lookup.tradeLine", {
            date: i18n.date(locale, tr.createdAt),
            type: t(tradeKindKey(tr)),
            amount: i18n.money(locale, tr.totalCents),
            status: statusText(i18n, locale, tr.status),
            trade: tradeRef(tr),
          }),
        ),
      );
    }
  }
  if (r.journal.length > 0) {
    blocks.push(text({ text: t("admin.lookup.recentJournal"), bold: true }));
    for (const e of r.journal.slice(0, 5)) blocks.push(text(journalLine(i18n, locale, e, names)));
  }
  return {
    tone: "info",
    title: t("admin.lookup.title", { member: names.get(r.memberId) ?? r.memberId }),
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

/** Community trades per audit page: bounded lines keep a page within one message everywhere. */
export const AUDIT_ROWS = 8;

/**
 * One entry per trade, at its latest status: the log holds one event per status change, and
 * callbacks may land out of order, so the latest is the one AssetPay updated last — a final
 * status over one still moving when both carry the same time. Newest trades first.
 */
export function auditTrades(events: CommunityEvent[]): CommunityEvent[] {
  const rank = (e: CommunityEvent) => [Date.parse(e.at) || 0, isTerminal(e.status as TradeStatus) ? 1 : 0];
  const later = (a: CommunityEvent, b: CommunityEvent) => {
    const [at, final] = rank(a) as [number, number];
    const [bt, bFinal] = rank(b) as [number, number];
    return at !== bt ? at > bt : final > bFinal;
  };
  const latest = new Map<string, CommunityEvent>();
  const order: string[] = [];
  for (const e of events) {
    const known = latest.get(e.tradeId);
    if (!known) order.push(e.tradeId);
    if (!known || later(e, known)) latest.set(e.tradeId, e);
  }
  return order.map((id) => latest.get(id) as CommunityEvent);
}

export function communityAuditView(
  i18n: I18n,
  locale: Locale,
  events: CommunityEvent[],
  opts: { page: number; names: Names },
): View {
  const trades = auditTrades(events);
  if (trades.length === 0)
    return message("info", i18n.t(locale, "community.auditEmpty"), { ephemeral: true });
  const pages = Math.ceil(trades.length / AUDIT_ROWS);
  const page = Math.min(Math.max(0, Math.trunc(opts.page) || 0), pages - 1);
  const name = (id: string) => opts.names.get(id) ?? id;
  const blocks = trades.slice(page * AUDIT_ROWS, (page + 1) * AUDIT_ROWS).map((e) => {
    const line = i18n.t(locale, "community.auditLine", {
      date: i18n.date(locale, e.at),
      kind: i18n.t(
        locale,
        e.kind === "liquidation" ? "community.kind.liquidation" : "community.kind.giveaway",
      ),
      trade: e.tradeId,
      status: statusText(i18n, locale, e.status as TradeStatus),
      amount: i18n.money(locale, e.totalCents),
      items: e.items.join(", ").slice(0, 100),
      actor: name(e.actor),
    });
    return text(
      e.recipient ? `${line} · ${i18n.t(locale, "community.auditTo", { member: name(e.recipient) })}` : line,
    );
  });
  const buttons: Button[][] =
    pages > 1
      ? [
          [
            {
              action: { action: ACTIONS.auditPage, session: "community", arg: String(page - 1) },
              label: i18n.t(locale, "picker.buttons.prev"),
              style: "secondary",
              disabled: page === 0,
            },
            {
              action: { action: ACTIONS.auditPage, session: "community", arg: String(page + 1) },
              label: i18n.t(locale, "picker.buttons.next"),
              style: "secondary",
              disabled: page >= pages - 1,
            },
          ],
        ]
      : [];
  return {
    tone: "info",
    title: i18n.t(locale, "community.auditTitle"),
    blocks,
    buttons,
    footer: i18n.t(locale, "picker.page", { page: page + 1, pages }),
    ephemeral: true,
  };
}
