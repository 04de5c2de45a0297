/** The community's own trades (giveaways, liquidations, cancels) and who started each, plus the dashboard's audit. */
import type { TradeStatus } from "../../../assetpay/schemas.ts";
import { statusText } from "../../../ui/views/account-views.ts";
import type { Page } from "../context.ts";
import { html } from "../html.ts";
import { page } from "../layout.ts";

export const communityPage: Page = async (ctx) => {
  const { community, dashboard, i18n } = ctx.core;
  const [events, audit] = await Promise.all([community.recent(200), dashboard.audit.recent(50)]);
  const body = html`${
    events.length === 0
      ? html`<p class="muted">${ctx.t("dashboard.community.none")}</p>`
      : html`<table id="community"><thead><tr><th>${ctx.t("dashboard.col.when")}</th><th>${ctx.t("dashboard.col.kind")}</th><th>${ctx.t("dashboard.col.startedBy")}</th><th>${ctx.t("dashboard.col.recipient")}</th><th>${ctx.t("dashboard.col.items")}</th><th class="num">${ctx.t("dashboard.col.amount")}</th><th>${ctx.t("dashboard.col.state")}</th><th>${ctx.t("dashboard.col.trade")}</th></tr></thead><tbody>
${events.map(
  (e) =>
    html`<tr><td>${ctx.date(e.at)}</td><td>${ctx.t(e.kind === "liquidation" ? "dashboard.community.liquidation" : "dashboard.community.giveaway")}</td><td>${e.actor}</td><td>${e.recipient ?? "—"}</td><td>${e.items.join(", ")}</td><td class="num">${ctx.money(e.totalCents)}</td><td>${statusText(i18n, ctx.locale, e.status as TradeStatus)}</td><td><code>${e.tradeId}</code></td></tr>`,
)}</tbody></table>`
  }
<h2>${ctx.t("dashboard.community.audit")}</h2>
<table id="audit"><thead><tr><th>${ctx.t("dashboard.col.when")}</th><th>${ctx.t("dashboard.col.member")}</th><th>${ctx.t("dashboard.col.action")}</th><th>${ctx.t("dashboard.col.detail")}</th></tr></thead><tbody>
${audit.map(
  (a) =>
    html`<tr><td>${ctx.date(a.at)}</td><td>${a.memberId ?? "—"}</td><td>${ctx.t(a.action === "export" ? "dashboard.audit.export" : a.action === "sign-in" ? "dashboard.audit.signIn" : "dashboard.audit.refused")}</td><td>${a.detail}</td></tr>`,
)}</tbody></table>`;
  return page(i18n, ctx.locale, {
    title: ctx.t("dashboard.nav.community"),
    current: "/dashboard/community",
    signedIn: ctx.session.memberId,
    body,
  });
};
