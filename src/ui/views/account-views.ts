/**
 * Views of a member's own things: link, balance, trades, missed notices, help, language.
 */
import type { TradeStatus } from "../../assetpay/schemas.ts";
import type { SteamLink } from "../../core/accounts.ts";
import type { Balance, LedgerEntry } from "../../core/ledger.ts";
import type { Notice } from "../../core/notifications.ts";
import type { TradeRecord } from "../../core/trade-records.ts";
import { ACTIONS } from "../action-id.ts";
import type { I18n, Locale, MessageKey } from "../i18n.ts";
import { LOCALE_NAMES, SUPPORTED_LOCALES } from "../locales.ts";
import { type Block, type Button, fields, message, type TextBlock, text, type View } from "../view.ts";
import { noticeView } from "./notice-view.ts";

export function linkedView(i18n: I18n, locale: Locale, link: SteamLink, updated: boolean): View {
  return message(
    "success",
    i18n.t(locale, updated ? "link.updated" : "link.success", { steamId: link.steamId }),
    {
      ephemeral: true,
    },
  );
}

export function linkShowView(i18n: I18n, locale: Locale, link: SteamLink | undefined): View {
  if (!link) return message("info", i18n.t(locale, "link.notLinked"), { ephemeral: true });
  return message("info", i18n.t(locale, "link.show", { steamId: link.steamId, tradeUrl: link.tradeUrl }), {
    ephemeral: true,
  });
}

/** A journal entry's reason in the member's words. */
export function journalOpKey(e: LedgerEntry): MessageKey {
  if (e.op === "adjust") return "journal.op.adminAdjust";
  if (e.reason === "deposit-precredit") return "journal.op.depositPreCredit";
  if (e.reason.startsWith("deposit-")) return "journal.op.depositRevert";
  if (e.reason === "deposit") return "journal.op.depositCredit";
  if (e.op === "hold") return "journal.op.withdrawHold";
  if (e.op === "settle") return "journal.op.withdrawSettle";
  return "journal.op.withdrawRefund";
}

/**
 * What an entry moved, as the member sees it: the change to `available`, or — for a delivered
 * withdrawal, which is paid out of `held` and leaves `available` alone — the change to `held`.
 */
export function movedCents(e: LedgerEntry): number {
  return e.availableDeltaCents !== 0 ? e.availableDeltaCents : e.heldDeltaCents;
}

/**
 * One line per trade and kind of move: AssetPay settles a withdrawal item by item, which would
 * otherwise be one identical line per skin. Entries are newest first; runs are merged in place.
 */
export function mergeItemEntries(journal: LedgerEntry[]): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const e of journal) {
    const last = out[out.length - 1];
    if (
      last &&
      e.tradeId !== undefined &&
      last.tradeId === e.tradeId &&
      journalOpKey(last) === journalOpKey(e)
    ) {
      out[out.length - 1] = {
        ...last,
        availableDeltaCents: last.availableDeltaCents + e.availableDeltaCents,
        heldDeltaCents: last.heldDeltaCents + e.heldDeltaCents,
      };
      continue;
    }
    out.push(e);
  }
  return out;
}

export function balanceView(i18n: I18n, locale: Locale, b: Balance, journal: LedgerEntry[] = []): View {
  const blocks: Block[] = [
    fields(
      { label: i18n.t(locale, "balance.available"), value: i18n.money(locale, b.availableCents) },
      { label: i18n.t(locale, "balance.held"), value: i18n.money(locale, b.heldCents) },
      { label: i18n.t(locale, "balance.total"), value: i18n.money(locale, b.availableCents + b.heldCents) },
    ),
  ];
  if (b.heldCents > 0) blocks.push(text(i18n.t(locale, "balance.heldHint")));
  if (b.availableCents < 0) blocks.push(text(i18n.t(locale, "balance.negative")));
  if (journal.length > 0) {
    blocks.push(text({ text: i18n.t(locale, "journal.title"), bold: true }));
    for (const e of mergeItemEntries(journal)) {
      blocks.push(
        text(
          i18n.t(locale, "journal.line", {
            date: i18n.date(locale, e.at),
            op: i18n.t(locale, journalOpKey(e)),
            amount: i18n.money(locale, movedCents(e), { signed: true }),
          }),
        ),
      );
    }
  }
  return {
    tone: b.availableCents < 0 ? "warning" : "info",
    title: i18n.t(locale, "balance.title"),
    blocks,
    buttons: [],
    ephemeral: true,
  };
}

export function statusText(i18n: I18n, locale: Locale, status: TradeStatus | undefined): string {
  return i18n.t(locale, `trades.status.${status ?? "initiated"}`);
}

/**
 * `cancellable`: the member's withdrawals with items not yet offered, each given a Cancel button
 * (`trades.cancel` on `session`, the argument its index in that list).
 */
export function tradesView(
  i18n: I18n,
  locale: Locale,
  records: TradeRecord[],
  cancellable: { session: string; records: TradeRecord[]; autoCancelMinutes?: number } = {
    session: "",
    records: [],
  },
): View {
  // The community's own trades (giveaways, liquidations) are in /admin audit, not a moderator's history.
  const own = records.filter((r) => r.source !== "self");
  if (own.length === 0) return message("info", i18n.t(locale, "trades.empty"), { ephemeral: true });
  const lines = own.map((r) =>
    i18n.t(locale, "trades.line", {
      date: i18n.date(locale, r.createdAt),
      type: i18n.t(locale, r.kind === "deposit" ? "common.tradeType.deposit" : "common.tradeType.withdraw"),
      items:
        r.items.length === 1
          ? (r.items[0]?.name ?? "")
          : i18n.t(locale, "common.items", { count: r.items.length }),
      amount: i18n.money(locale, r.totalCents),
      status:
        r.phase === "failed-to-start"
          ? i18n.t(locale, "trades.status.failed")
          : r.phase === "started"
            ? i18n.t(locale, "trades.status.initiated")
            : statusText(i18n, locale, r.status),
    }),
  );
  // A member may cancel 30 minutes after ordering; AssetPay cancels by itself at its auto-cancel
  // time (30 minutes unless configured longer). Only a longer auto-cancel leaves a window in
  // which the button can do anything.
  const canHelp =
    (cancellable.autoCancelMinutes ?? ASSETPAY_AUTO_CANCEL_MINUTES) > MEMBER_CANCEL_AFTER_MINUTES;
  const offered = canHelp ? cancellable.records : [];
  const buttons: Button[][] = offered.slice(0, CANCEL_BUTTONS).map((r, i) => [
    {
      action: { action: ACTIONS.tradesCancel, session: cancellable.session, arg: String(i) },
      label:
        `${i18n.t(locale, "common.cancel")} · ${r.items.length === 1 ? (r.items[0]?.name ?? "") : i18n.t(locale, "common.items", { count: r.items.length })}`.slice(
          0,
          80,
        ),
      style: "danger",
    },
  ]);
  return {
    tone: "info",
    title: i18n.t(locale, "trades.title"),
    blocks: lines.map((l) => text(l)),
    buttons,
    ephemeral: true,
  };
}

/** AssetPay lets a member cancel a withdrawal item this long after ordering it. */
export const MEMBER_CANCEL_AFTER_MINUTES = 30;
/** AssetPay's own auto-cancel of an item the seller hasn't sent, unless the merchant sets another. */
export const ASSETPAY_AUTO_CANCEL_MINUTES = 30;

/** At most this many Cancel buttons under /trades (Discord shows five rows). */
export const CANCEL_BUTTONS = 5;

/** Characters of notices on one /inbox page (Telegram allows 4096 in all, Discord 4096 per embed). */
export const INBOX_TEXT_BUDGET = 3_000;

export function inboxView(
  i18n: I18n,
  locale: Locale,
  notices: { payload: unknown; failedAt: number }[],
): View {
  if (notices.length === 0) return message("info", i18n.t(locale, "inbox.empty"), { ephemeral: true });
  // Newest first, as many as fit one message; older ones stay for the next /inbox.
  const blocks: TextBlock[] = [];
  let length = 0;
  for (const n of notices) {
    const body = noticeView(i18n, locale, n.payload as Notice);
    const first = body.blocks[0];
    const line = i18n.t(locale, "inbox.line", {
      date: i18n.date(locale, new Date(n.failedAt).toISOString()),
      text: first?.kind === "text" ? first.spans.map((s) => s.text).join("") : "",
    });
    if (length + line.length > INBOX_TEXT_BUDGET && blocks.length > 0) break;
    length += line.length;
    blocks.push(text(line));
  }
  return { tone: "info", title: i18n.t(locale, "inbox.title"), blocks, buttons: [], ephemeral: true };
}

export function helpView(i18n: I18n, locale: Locale, isAdmin: boolean): View {
  const keys = [
    "help.link",
    "help.unlink",
    "help.deposit",
    "help.withdraw",
    "help.price",
    "help.balance",
    "help.trades",
    "help.inbox",
    "help.language",
  ] as const;
  const lines = keys.map((k) => i18n.t(locale, k));
  if (isAdmin) lines.push(i18n.t(locale, "help.admin"));
  return {
    tone: "info",
    title: i18n.t(locale, "help.title"),
    blocks: [
      text(i18n.t(locale, "help.intro")),
      ...lines.map((l) => text(l)),
      text(i18n.t(locale, "help.footer")),
    ],
    buttons: [],
    ephemeral: true,
  };
}

export function languageView(i18n: I18n, locale: Locale, session: string): View {
  const buttons = SUPPORTED_LOCALES.map((code) => ({
    action: { action: ACTIONS.language, session, arg: code },
    label: LOCALE_NAMES[code],
    style: code === locale ? ("primary" as const) : ("secondary" as const),
  }));
  const rows = [];
  for (let i = 0; i < buttons.length; i += 4) rows.push(buttons.slice(i, i + 4));
  return {
    tone: "info",
    blocks: [
      text(i18n.t(locale, "language.current", { language: LOCALE_NAMES[locale] })),
      text(i18n.t(locale, "language.prompt")),
    ],
    buttons: rows,
    ephemeral: true,
  };
}
