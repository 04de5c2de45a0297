/**
 * A trade's live receipt card: the message the member confirmed, edited as the trade moves. It
 * reads as the trade's latest notice (sent, in hold until…, completed, refunded, reverted) and
 * keeps the trade id, so the card still says which trade it is after every step.
 */
import type { Notice } from "../../core/notifications.ts";
import type { I18n, Locale } from "../i18n.ts";
import { fields, type View } from "../view.ts";
import { noticeView } from "./notice-view.ts";

export function tradeCardView(i18n: I18n, locale: Locale, n: Notice): View {
  const view = noticeView(i18n, locale, n);
  return {
    ...view,
    blocks: [...view.blocks, fields({ label: i18n.t(locale, "receipt.trade"), value: n.tradeId })],
  };
}
