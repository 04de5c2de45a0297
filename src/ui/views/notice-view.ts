/**
 * A member notification (from the outbox) as a View, in the member's language at send time:
 * coloured by outcome, with amounts, the new balance and a button to the Steam offer.
 */
import type { Notice } from "../../core/notifications.ts";
import { tradeOfferLink } from "../../core/steam.ts";
import type { I18n, Locale, MessageKey } from "../i18n.ts";
import { type Button, message, type Tone, type View } from "../view.ts";

/**
 * Why an item or trade did not go through: AssetPay's error key when it gave one, else what its
 * status says (an item still waiting for its seller is `reverted` by AssetPay's auto-cancel).
 */
function reasonText(i18n: I18n, locale: Locale, reason: string | undefined, status?: string): string {
  const key = `notify.reason.${reason}`;
  if (reason !== undefined && i18n.has(key)) return i18n.t(locale, key);
  switch (status) {
    case "reverted":
      return i18n.t(locale, "notify.outcome.notSentInTime");
    case "canceled":
      return i18n.t(locale, "notify.outcome.canceled");
    case "declined":
      return i18n.t(locale, "notify.outcome.declined");
    case "failed":
      return i18n.t(locale, "notify.outcome.failed");
    default:
      return i18n.t(locale, "notify.reason.unknown");
  }
}

export function noticeView(i18n: I18n, locale: Locale, n: Notice): View {
  const money = (cents: number | undefined) => i18n.money(locale, cents ?? 0);
  const date = n.holdEndDate ? i18n.date(locale, n.holdEndDate) : "—";
  const offerUrl = n.offerId ? tradeOfferLink(n.offerId) : undefined;
  const t = (key: MessageKey, params?: Record<string, string | number>) => i18n.t(locale, key, params);
  let tone: Tone = "info";
  let body: string;
  switch (n.kind) {
    case "deposit.offer":
      body = t("notify.depositOfferSent", { url: offerUrl ?? "—" });
      break;
    case "deposit.hold":
      body =
        n.amountCents !== undefined && n.amountCents > 0
          ? t("notify.depositPreCredited", {
              amount: money(n.amountCents),
              pending: money(n.pendingCents),
              date,
              balance: money(n.balanceCents),
            })
          : t("notify.depositHold", { date });
      break;
    case "deposit.credited":
      tone = "success";
      body = t("notify.depositCredited", { amount: money(n.amountCents), balance: money(n.balanceCents) });
      break;
    case "deposit.failed":
      tone = "warning";
      body =
        n.status === "declined"
          ? t("notify.depositDeclined")
          : n.status === "canceled"
            ? t("notify.depositCanceled")
            : t("notify.depositFailed", { reason: reasonText(i18n, locale, n.reason, n.status) });
      break;
    case "deposit.reverted":
      tone = "danger";
      // Reversed inside the hold, before anything was credited: nothing was taken back.
      body =
        (n.amountCents ?? 0) > 0
          ? t("notify.depositReverted", { amount: money(n.amountCents), balance: money(n.balanceCents) })
          : t("notify.depositRevertedInHold");
      break;
    case "withdraw.rejected":
      tone = "warning";
      body = t("notify.withdrawRejected");
      break;
    case "withdraw.approved":
      body = t("notify.withdrawApproved", { amount: money(n.amountCents) });
      break;
    case "withdraw.offer":
      body = t("notify.withdrawOfferSent", { url: offerUrl ?? "—" });
      break;
    case "withdraw.hold":
      body = t("notify.withdrawHold", { date });
      break;
    case "withdraw.completed":
      tone = "success";
      body = t("notify.withdrawCompleted", { amount: money(n.amountCents) });
      break;
    case "withdraw.failed":
      tone = "warning";
      body = t("notify.withdrawFailed", {
        reason: reasonText(i18n, locale, n.reason, n.status),
        amount: money(n.amountCents),
        balance: money(n.balanceCents),
      });
      break;
    case "withdraw.itemRefunded":
      tone = "warning";
      body = t("notify.withdrawItemRefunded", {
        item: n.items?.[0] ?? t("common.unknownItem"),
        reason: reasonText(i18n, locale, n.reason, n.status),
        amount: money(n.amountCents),
        balance: money(n.balanceCents),
      });
      break;
    case "admin.negativeBalance":
      tone = "danger";
      body = t("notify.adminNegativeBalance", {
        member: n.memberName ?? n.memberId ?? "?",
        balance: money(n.balanceCents),
        tradeId: n.tradeId,
      });
      break;
    case "admin.withdrawalReverted":
      tone = "danger";
      body = t("notify.adminWithdrawalReverted", {
        member: n.memberId ?? "?",
        item: n.items?.[0] ?? t("common.unknownItem"),
        amount: money(n.amountCents),
        tradeId: n.tradeId,
      });
      break;
    case "gift.offer":
      body = t("notify.giftOffer", { items: (n.items ?? []).join(", "), url: offerUrl ?? "—" });
      break;
    case "community.trade":
      tone =
        n.status === "completed"
          ? "success"
          : n.status && ["failed", "canceled", "declined", "reverted"].includes(n.status)
            ? "warning"
            : "info";
      body = t("notify.communityTrade", {
        kind: t(n.community === "liquidation" ? "community.kind.liquidation" : "community.kind.giveaway"),
        tradeId: n.tradeId,
        status: t(`trades.status.${(n.status ?? "initiated") as "initiated"}`),
        items: (n.items ?? []).join(", "),
        amount: money(n.amountCents),
      });
      break;
    case "gift.received":
      tone = "success";
      body = t("notify.giftReceived", { items: (n.items ?? []).join(", ") });
      break;
  }
  const buttons: Button[][] =
    offerUrl && (n.kind === "deposit.offer" || n.kind === "withdraw.offer" || n.kind === "gift.offer")
      ? [[{ url: offerUrl, label: t("common.viewOffer") }]]
      : [];
  const view = message(tone, body, { buttons });
  if (n.items && n.items.length > 0 && n.kind !== "withdraw.itemRefunded")
    view.footer = n.items.join(", ").slice(0, 500);
  return view;
}
