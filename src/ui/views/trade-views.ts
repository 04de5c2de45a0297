/**
 * Views around starting a trade: the receipt after confirm, the "still checking" answer when
 * AssetPay's outcome is unknown, and the list of matching skins for a withdraw search.
 */

import { tradeOfferLink } from "../../core/steam.ts";
import type { ConfirmResult } from "../../core/trading.ts";
import { ACTIONS } from "../action-id.ts";
import type { I18n, Locale } from "../i18n.ts";
import { type Button, fields, type ItemRow, items, message, type View } from "../view.ts";
import { statusText } from "./account-views.ts";
import { unitsText } from "./picker-view.ts";

/** Rows shown for a receipt's items; past RECEIPT_ROWS the rest are summed up in one row. */
export const RECEIPT_ROWS = 10;

function itemRows(
  i18n: I18n,
  locale: Locale,
  record: ConfirmResult["record"],
  detailOf?: (item: ConfirmResult["record"]["items"][number]) => string,
): ItemRow[] {
  const shown = record.items.slice(0, RECEIPT_ROWS).map((i) => {
    const row: ItemRow = {
      id: i.id,
      label: i.name,
      price: i18n.money(locale, i.memberPriceCents * i.amount),
    };
    const detail = detailOf
      ? detailOf(i)
      : unitsText(i18n, locale, { amount: i.amount, priceCents: i.memberPriceCents });
    if (detail !== undefined) row.detail = detail;
    return row;
  });
  const rest = record.items.slice(RECEIPT_ROWS);
  if (rest.length > 0) {
    shown.push({
      id: "rest",
      label: `+ ${i18n.t(locale, "common.items", { count: rest.length })}`,
      price: i18n.money(
        locale,
        rest.reduce((sum, i) => sum + i.memberPriceCents * i.amount, 0),
      ),
    });
  }
  return shown;
}

export function receiptView(
  i18n: I18n,
  locale: Locale,
  result: ConfirmResult,
  names: { recipientName?: string } = {},
): View {
  const { record, trade } = result;
  const deposit = record.kind === "deposit";
  if (result.pending || !trade) {
    return message("info", i18n.t(locale, deposit ? "deposit.pending" : "withdraw.pending"), {
      ephemeral: true,
    });
  }
  if (record.source === "self") {
    const params = {
      // Names while they read as a sentence; a count beyond that (the rows below list them).
      items:
        record.items.length <= 3
          ? record.items.map((i) => i.name).join(", ")
          : i18n.t(locale, "common.items", { count: record.items.length }),
      amount: i18n.money(locale, record.totalCents),
      member: names.recipientName ?? record.recipientId ?? "",
    };
    // The admin needs the trade and item ids to cancel an undelivered giveaway item later.
    return {
      tone: "success",
      blocks: [
        {
          kind: "text",
          spans: [
            {
              text: i18n.t(
                locale,
                deposit ? "community.liquidationStarted" : "community.giveawayStarted",
                params,
              ),
            },
          ],
        },
        fields({ label: i18n.t(locale, "receipt.trade"), value: trade.id }),
        items(itemRows(i18n, locale, record, (i) => trade.items.find((t) => t.id === i.id)?.id ?? i.id)),
      ],
      buttons: [],
      ephemeral: true,
    };
  }
  const split = trade.relatedTrades?.length ?? 0;
  const summary = deposit
    ? split > 0
      ? i18n.t(locale, "deposit.createdSplit", { count: split + 1 })
      : i18n.t(locale, "deposit.created", { amount: i18n.money(locale, record.totalCents) })
    : i18n.t(locale, "withdraw.receipt", {
        items: i18n.t(locale, "common.items", { count: record.items.length }),
        amount: i18n.money(locale, record.totalCents),
      });
  const buttons: Button[][] = trade.offerId
    ? [[{ url: tradeOfferLink(trade.offerId), label: i18n.t(locale, "common.viewOffer") }]]
    : [];
  return {
    tone: "success",
    title: i18n.t(locale, deposit ? "deposit.receiptTitle" : "withdraw.receiptTitle"),
    blocks: [
      { kind: "text", spans: [{ text: summary }] },
      items(itemRows(i18n, locale, record)),
      fields(
        { label: i18n.t(locale, "receipt.total"), value: i18n.money(locale, record.totalCents) },
        { label: i18n.t(locale, "receipt.state"), value: statusText(i18n, locale, trade.status) },
        { label: i18n.t(locale, "receipt.trade"), value: trade.id },
      ),
    ],
    buttons,
    ephemeral: true,
  };
}

export const SUGGESTION_BUTTONS = 5;

export function suggestionsView(
  i18n: I18n,
  locale: Locale,
  query: string,
  session: string,
  found: { name: string }[],
): View {
  if (found.length === 0)
    return message("warning", i18n.t(locale, "withdraw.noResults", { query }), { ephemeral: true });
  return {
    tone: "info",
    blocks: [{ kind: "text", spans: [{ text: i18n.t(locale, "withdraw.pickItem") }] }],
    // One button per row and at most five rows: Discord's limit, and plenty to pick from.
    buttons: found.slice(0, SUGGESTION_BUTTONS).map((s, i) => [
      {
        action: { action: ACTIONS.withdrawItem, session, arg: String(i) },
        label: s.name.slice(0, 64),
        style: "secondary",
      },
    ]),
    ephemeral: true,
  };
}
