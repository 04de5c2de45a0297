/**
 * A picker page as a View: the page's items with prices and states, a multi-select of the page
 * (Discord renders a select menu, Telegram a column of ✅ toggles), page navigation, the running
 * total, confirm and cancel. Option values are entry indexes, which fit every button-id budget.
 */
import type { PickerEntry, PickerSession } from "../../core/picker.ts";
import { pageCount, pageEntries, selectedEntries, selectedTotal } from "../../core/picker.ts";
import { ACTIONS } from "../action-id.ts";
import type { I18n, Locale } from "../i18n.ts";
import { type ActionButton, type Block, type ItemRow, items, text, type View } from "../view.ts";

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
  if (e.stickers?.length)
    parts.push(i18n.t(locale, "picker.item.stickers", { stickers: e.stickers.join(", ").slice(0, 60) }));
  const units = unitsText(i18n, locale, e);
  if (units !== undefined) parts.push(units);
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

/** A select option's description within Discord's 100 characters, keeping its end (the price). */
function fitOption(description: string): string {
  // Discord counts UTF-16 units here.
  if (description.length <= OPTION_DESCRIPTION_MAX) return description;
  const price = description.slice(description.lastIndexOf(" · "));
  return `${description.slice(0, OPTION_DESCRIPTION_MAX - price.length - 1)}…${price}`;
}
const OPTION_DESCRIPTION_MAX = 100;

/** A stack's units at the unit price (the row's price is then the total): "5 of 24 × $0.21 each". */
export function unitsText(
  i18n: I18n,
  locale: Locale,
  e: { amount: number; stack?: number; priceCents: number },
): string | undefined {
  const unit = i18n.money(locale, e.priceCents);
  if (e.stack !== undefined && e.stack !== e.amount)
    return i18n.t(locale, "picker.item.amountOf", { amount: e.amount, stack: e.stack, unit });
  return e.amount > 1 ? i18n.t(locale, "picker.item.amount", { amount: e.amount, unit }) : undefined;
}

/**
 * Rows that would read the same (a case listed by several sellers, no float or stickers to tell
 * them apart) get "listing 1", "listing 2", in their order on the page.
 */
function numberLookalikes(i18n: I18n, locale: Locale, rows: ItemRow[]): void {
  const look = (r: ItemRow) => `${r.label}|${r.detail ?? ""}|${r.price ?? ""}`;
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(look(r), (counts.get(look(r)) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const r of rows) {
    const key = look(r);
    if ((counts.get(key) ?? 0) < 2) continue;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const tag = i18n.t(locale, "picker.item.listing", { n });
    r.detail = r.detail ? `${r.detail} · ${tag}` : tag;
  }
}

/**
 * The quantity of the stack last picked on this page, with buttons to change it; each button
 * carries the quantity it sets, so pressing it twice sets the same quantity twice.
 */
function quantityControls(
  i18n: I18n,
  locale: Locale,
  s: PickerSession,
  page: { entry: PickerEntry; index: number }[],
): { block: Block; buttons: ActionButton[] } | undefined {
  const stacks = page.filter(
    ({ entry }) => (entry.stack ?? entry.amount) > 1 && s.selected.includes(entry.id),
  );
  const last = stacks.sort((a, b) => s.selected.indexOf(b.entry.id) - s.selected.indexOf(a.entry.id))[0];
  if (!last) return undefined;
  const { entry, index } = last;
  const most = entry.stack ?? entry.amount;
  // The third part only keeps each button's id unique (Discord refuses two equal ids).
  const set = (label: string, amount: number, slot: number): ActionButton => {
    const to = Math.min(Math.max(1, amount), most);
    return {
      action: { action: ACTIONS.pickQuantity, session: s.id, arg: `${index}:${to}:${slot}` },
      label,
      style: "secondary",
      disabled: to === entry.amount,
    };
  };
  return {
    block: text(
      i18n.t(locale, "picker.quantity", {
        item: entry.name,
        amount: entry.amount,
        stack: most,
        total: i18n.money(locale, entry.priceCents * entry.amount),
      }),
    ),
    buttons: [
      set("−10", entry.amount - 10, 0),
      set("−1", entry.amount - 1, 1),
      set("+1", entry.amount + 1, 2),
      set("+10", entry.amount + 10, 3),
      set(i18n.t(locale, "picker.buttons.all"), most, 4),
    ],
  };
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
      // The whole stack's price; its detail says the units and the unit price.
      price: i18n.money(locale, entry.priceCents * entry.amount),
      selected: selected.has(entry.id),
      disabled: !entry.selectable,
    };
    const detail = entryDetail(i18n, locale, entry);
    if (detail !== undefined) row.detail = detail;
    if (!entry.selectable)
      row.state = t(entry.priceCents > 0 ? "picker.item.notTradable" : "picker.item.notAccepted");
    return row;
  });
  numberLookalikes(i18n, locale, rows);
  blocks.push(items(rows));
  const quantity = quantityControls(i18n, locale, s, page);
  if (quantity) blocks.push(quantity.block);

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
              description: fitOption(
                [
                  rows.find((r) => r.id === String(index))?.detail,
                  i18n.money(locale, entry.priceCents * entry.amount),
                ]
                  .filter(Boolean)
                  .join(" · "),
              ),
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
      // Last, so the buttons above keep their places (the console's numbers) when it appears.
      ...(quantity ? [quantity.buttons] : []),
    ],
    footer: t("picker.page", { page: s.page + 1, pages: pageCount(s) }),
    ephemeral: true,
  };
}
