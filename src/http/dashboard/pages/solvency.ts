/** The landing page: the merchant wallet against what members are owed, and how both moved. */
import { gapOf } from "../../../core/dashboard/solvency.ts";
import { solvencyChart } from "../chart.ts";
import type { Page } from "../context.ts";
import { html } from "../html.ts";
import { page } from "../layout.ts";

export const solvencyPage: Page = async (ctx) => {
  const { dashboard, i18n } = ctx.core;
  const now = await dashboard.solvency.sample();
  const history = await dashboard.solvency.history(200);
  const gap = gapOf(now);
  const card = (label: string, value: string, cls = "") =>
    html`<div class="card"><div class="label">${label}</div><div class="value ${cls}">${value}</div></div>`;
  const warning =
    gap === undefined
      ? html`<p class="warning">${ctx.t("dashboard.solvency.walletUnavailable")}</p>`
      : gap > 0
        ? html`<p class="warning" id="not-covered">${ctx.t("dashboard.solvency.notCovered", { shortfall: ctx.money(gap) })}</p>`
        : html`<p class="ok" id="covered">${ctx.t("dashboard.solvency.covered")}</p>`;
  const labels = { wallet: ctx.t("dashboard.solvency.wallet"), owed: ctx.t("dashboard.solvency.owed") };
  const body = html`${warning}
<div class="cards">
${card(labels.wallet, now.walletCents === undefined ? "—" : ctx.money(now.walletCents))}
${card(labels.owed, ctx.money(now.owedCents))}
${card(ctx.t("dashboard.solvency.available"), ctx.money(now.availableCents))}
${card(ctx.t("dashboard.solvency.held"), ctx.money(now.heldCents))}
${card(ctx.t("dashboard.solvency.difference"), gap === undefined ? "—" : ctx.money(-gap, true), gap !== undefined && gap > 0 ? "bad" : "ok")}
${card(ctx.t("dashboard.solvency.members"), String(now.members))}
</div>
<h2>${ctx.t("dashboard.solvency.history")}</h2>
${history.length < 2 ? html`<p class="muted">${ctx.t("dashboard.solvency.noHistory")}</p>` : solvencyChart(history, labels)}
<table><thead><tr><th>${ctx.t("dashboard.col.when")}</th><th class="num">${labels.wallet}</th><th class="num">${labels.owed}</th><th class="num">${ctx.t("dashboard.solvency.difference")}</th></tr></thead><tbody>
${history.slice(0, 12).map((s) => {
  const g = gapOf(s);
  return html`<tr><td>${ctx.date(s.at)}</td><td class="num">${s.walletCents === undefined ? "—" : ctx.money(s.walletCents)}</td><td class="num">${ctx.money(s.owedCents)}</td><td class="num ${g !== undefined && g > 0 ? "bad" : ""}">${g === undefined ? "—" : ctx.money(-g, true)}</td></tr>`;
})}
</tbody></table>`;
  return page(i18n, ctx.locale, {
    title: ctx.t("dashboard.nav.solvency"),
    current: "/dashboard",
    signedIn: ctx.session.memberId,
    body,
  });
};
