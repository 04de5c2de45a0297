/**
 * A picker page as a View: the page's items with prices and states, a multi-select of the page
 * (Discord renders a select menu, Telegram a column of ✅ toggles), page navigation, the running
 * total, confirm and cancel. Option values are entry indexes, which fit every button-id budget.
 */
import type { PickerEntry, PickerSession } from "../../core/picker.ts";
import { pageCount, pageEntries, selectedEntries, selectedTotal } from "../../core/picker.ts";
import { ACTIONS } from "../action-id.ts";
import type { I18n, Locale } from "../i18n.ts";
import { type Block, type ItemRow, items, text, type View } from "../view.ts";

export interface PickerViewOptions {
  /** Withdraw pickers show the balance next to the total. */
  balanceCents?: number;
  /** How a giveaway's recipient is shown to the admin. */
  recipientName?: string;
  /** The platform shows the page's items as a select menu (Discord), not toggle buttons. */
  selectMenu?: boolean;
}

function titleKey(s: PickerSession) {
  if (s.self?.kind === "giveaway") return "picker.title.giveaway" as const;
  if (s.self?.kind === "liquidate") return "picker.title.liquidate" as const;
  return s.kind === "deposit" ? ("picker.title.deposit" as const) : ("picker.title.withdraw" as const);
}

export function entryDetail(i18n: I18n, locale: Locale, e: PickerEntry): string | undefined {
  const parts: string[] = [];
  if (e.exterior) parts.push(e.exterior);
  if (e.wear) {
    // Floats come with ten decimals; four tell skins apart.
    const wear = Number.isFinite(Number(e.wear)) ? Number(e.wear).toFixed(4) : e.wear;
    parts.push(i18n.t(locale, "picker.item.wear", { wear }));
  }
  if (e.phase) parts.push(i18n.t(locale, "picker.item.phase", { phase: e.phase }));
  if (e.amount > 1) parts.push(i18n.t(locale, "picker.item.amount", { amount: e.amount }));
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

export function pickerView(i18n: I18n, locale: Locale, s: PickerSession, opts: PickerViewOptions = {}): View {
  const t = (key: Parameters<I18n["t"]>[1], params?: Record<string, string | number>) =>
    i18n.t(locale, key, params);
  const selected = new Set(s.selected);
  const page = pageEntries(s);
  const blocks: Block[] = [];
  if (s.kind === "withdraw" && s.catalog?.name) blocks.push(text({ text: s.catalog.name, bold: true }));
  if (s.notice === "pricesRefreshed" || s.notice === "selectionTrimmed")
    blocks.push(text(t("picker.refreshed")));

  if (s.entries.length === 0) {
    const game = t(s.game === "252490" ? "common.game.rust" : "common.game.cs2");
    blocks.push(text(s.kind === "deposit" ? t("picker.emptyInventory", { game }) : t("picker.noListings")));
    return {
      tone: "warning",
      title: t(titleKey(s)),
      blocks,
      buttons: [
        [
          {
            action: { action: ACTIONS.pickCancel, session: s.id },
            label: t("picker.buttons.cancel"),
            style: "secondary",
          },
        ],
      ],
      ephemeral: true,
    };
  }

  const hint =
    s.self?.kind === "giveaway"
      ? t("picker.hint.giveaway", { member: opts.recipientName ?? s.self.recipient })
      : s.self?.kind === "liquidate"
        ? t("picker.hint.liquidate")
        : opts.selectMenu
          ? t(s.kind === "deposit" ? "picker.hint.depositMenu" : "picker.hint.withdrawMenu")
          : t(s.kind === "deposit" ? "picker.hint.deposit" : "picker.hint.withdraw");
  blocks.push(text(hint));
  const rows: ItemRow[] = page.map(({ entry, index }) => {
    const row: ItemRow = {
      id: String(index),
      label: entry.name,
      price: i18n.money(locale, entry.priceCents),
      selected: selected.has(entry.id),
      disabled: !entry.selectable,
    };
    const detail = entryDetail(i18n, locale, entry);
    if (detail !== undefined) row.detail = detail;
    if (!entry.selectable)
      row.state = t(entry.priceCents > 0 ? "picker.item.notTradable" : "picker.item.notAccepted");
    return row;
  });
  blocks.push(items(rows));

  const count = selectedEntries(s).length;
  const total = i18n.money(locale, selectedTotal(s));
  const totalLine =
    opts.balanceCents !== undefined
      ? t("picker.totalWithBalance", { amount: total, balance: i18n.money(locale, opts.balanceCents) })
      : t("picker.total", { amount: total });
  blocks.push(text({ text: `${t("picker.selected", { count })} · ${totalLine}`, bold: true }));

  const selectable = page.filter(({ entry }) => entry.selectable);
  const last = pageCount(s) - 1;
  return {
    tone: "info",
    title: t(titleKey(s)),
    blocks,
    listSize: s.entries.length,
    ...(selectable.length > 0
      ? {
          select: {
            action: { action: ACTIONS.pickSelect, session: s.id, arg: String(s.page) },
            placeholder: t("picker.selectPlaceholder"),
            options: selectable.map(({ entry, index }) => ({
              value: String(index),
              label: entry.name,
              description: [entryDetail(i18n, locale, entry), i18n.money(locale, entry.priceCents)]
                .filter(Boolean)
                .join(" · "),
              selected: selected.has(entry.id),
            })),
            min: 0,
            max: selectable.length,
          },
        }
      : {}),
    buttons: [
      [
        {
          action: { action: ACTIONS.pickPage, session: s.id, arg: String(s.page - 1) },
          label: t("picker.buttons.prev"),
          style: "secondary",
          disabled: s.page === 0,
        },
        {
          action: { action: ACTIONS.pickPage, session: s.id, arg: String(s.page + 1) },
          label: t("picker.buttons.next"),
          style: "secondary",
          disabled: s.page >= last,
        },
        {
          action: { action: ACTIONS.pickRefresh, session: s.id },
          label: t("picker.buttons.refresh"),
          style: "secondary",
        },
      ],
      [
        {
          action: { action: ACTIONS.pickConfirm, session: s.id },
          label: t("picker.buttons.confirm"),
          style: "success",
          disabled: count === 0,
        },
        {
          action: { action: ACTIONS.pickCancel, session: s.id },
          label: t("picker.buttons.cancel"),
          style: "danger",
        },
      ],
    ],
    footer: t("picker.page", { page: s.page + 1, pages: pageCount(s) }),
    ephemeral: true,
  };
}
