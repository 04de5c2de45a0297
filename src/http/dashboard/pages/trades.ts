/** Trades in flight and recent ones, filterable; stuck ones stand out. */
import { GAME_IDS, TRADE_STATUSES } from "../../../assetpay/schemas.ts";
import { type TradeRow, tradeRows } from "../../../core/dashboard/trades.ts";
import { statusText } from "../../../ui/views/account-views.ts";
import { type Page, type PageContext, param } from "../context.ts";
import { html, query } from "../html.ts";
import { page } from "../layout.ts";

const GAME_NAMES: Record<string, string> = { [GAME_IDS.cs2]: "CS2", [GAME_IDS.rust]: "Rust" };

function age(ctx: PageContext, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return minutes < 120
    ? ctx.t("dashboard.trades.minutes", { count: minutes })
    : ctx.t("dashboard.trades.hours", { count: Math.floor(minutes / 60) });
}

function table(ctx: PageContext, rows: TradeRow[], id: string) {
  if (rows.length === 0) return html`<p class="muted" id="${id}-empty">${ctx.t("dashboard.trades.none")}</p>`;
  return html`<table id="${id}"><thead><tr><th>${ctx.t("dashboard.col.kind")}</th><th>${ctx.t("dashboard.col.member")}</th><th>${ctx.t("dashboard.col.items")}</th><th class="num">${ctx.t("dashboard.col.amount")}</th><th>${ctx.t("dashboard.col.state")}</th><th>${ctx.t("dashboard.col.age")}</th><th>${ctx.t("dashboard.col.trade")}</th></tr></thead><tbody>
${rows.map(({ record: r, ageMs, stuck }) => {
  const state = r.status ? statusText(ctx.core.i18n, ctx.locale, r.status) : r.phase;
  return html`<tr class="${stuck ? "stuck" : ""}" data-external-id="${r.externalId}" data-state="${r.status ?? r.phase}"><td>${ctx.t(r.kind === "deposit" ? "dashboard.kind.deposit" : "dashboard.kind.withdraw")} · ${GAME_NAMES[r.game] ?? r.game}</td><td><a href="/dashboard/member${query({ id: r.memberId })}">${r.memberId}</a></td><td>${r.items.map((i) => i.name).join(", ")}</td><td class="num">${ctx.money(r.totalCents)}</td><td>${state}${stuck ? html` <strong class="bad">${ctx.t("dashboard.trades.stuck")}</strong>` : ""}</td><td>${age(ctx, ageMs)}</td><td><code>${r.tradeId ?? r.externalId}</code></td></tr>`;
})}
</tbody></table>`;
}

export const tradesPage: Page = async (ctx) => {
  const { dashboard, records, i18n } = ctx.core;
  const filter = {
    state: param(ctx, "state"),
    kind: param(ctx, "kind"),
    member: param(ctx, "member"),
    game: param(ctx, "game"),
  };
  const defined = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
  const rows = await tradeRows(
    { records, index: dashboard.inFlight, reads: dashboard.reads, now: dashboard.now },
    defined,
  );
  const option = (value: string, label: string, current?: string) =>
    html`<option value="${value}"${value === (current ?? "") ? html` selected` : ""}>${label}</option>`;
  const body = html`<form class="filters" method="get" action="/dashboard/trades">
<label>${ctx.t("dashboard.col.state")}<select name="state">${option("", ctx.t("dashboard.trades.any"), filter.state)}${TRADE_STATUSES.map((s) => option(s, statusText(i18n, ctx.locale, s), filter.state))}</select></label>
<label>${ctx.t("dashboard.col.kind")}<select name="kind">${option("", ctx.t("dashboard.trades.any"), filter.kind)}${option("deposit", ctx.t("dashboard.kind.deposit"), filter.kind)}${option("withdraw", ctx.t("dashboard.kind.withdraw"), filter.kind)}</select></label>
<label>${ctx.t("dashboard.col.member")}<input name="member" value="${filter.member ?? ""}" maxlength="100"></label>
<label>${ctx.t("dashboard.col.game")}<select name="game">${option("", ctx.t("dashboard.trades.any"), filter.game)}${option(GAME_IDS.cs2, "CS2", filter.game)}${option(GAME_IDS.rust, "Rust", filter.game)}</select></label>
<button type="submit">${ctx.t("dashboard.filter")}</button></form>
<h2>${ctx.t("dashboard.trades.inFlight", { count: rows.inFlight.length })}</h2>
${table(ctx, rows.inFlight, "in-flight")}
<h2>${ctx.t("dashboard.trades.recent")}</h2>
${table(ctx, rows.recent, "recent")}`;
  return page(i18n, ctx.locale, {
    title: ctx.t("dashboard.nav.trades"),
    current: "/dashboard/trades",
    signedIn: ctx.session.memberId,
    body,
  });
};
