/** One member, readable: balance, locks, linked account, recent trades and the journal in pages. */
import type { LedgerEntry } from "../../../core/ledger.ts";
import { parseMemberId } from "../../../core/members.ts";
import { statusText } from "../../../ui/views/account-views.ts";
import { type Page, type PageContext, param } from "../context.ts";
import { html, query } from "../html.ts";
import { page } from "../layout.ts";

export const JOURNAL_PER_PAGE = 50;

function journalTable(ctx: PageContext, entries: LedgerEntry[]) {
  return html`<table id="journal"><thead><tr><th>#</th><th>${ctx.t("dashboard.col.when")}</th><th>${ctx.t("dashboard.col.op")}</th><th class="num">${ctx.t("dashboard.solvency.available")}</th><th class="num">${ctx.t("dashboard.solvency.held")}</th><th>${ctx.t("dashboard.col.reason")}</th><th>${ctx.t("dashboard.col.trade")}</th><th>${ctx.t("dashboard.col.actor")}</th></tr></thead><tbody>
${entries.map(
  (e) =>
    html`<tr><td>${e.id}</td><td>${ctx.date(e.at)}</td><td>${e.op}</td><td class="num">${e.availableDeltaCents === 0 ? "" : ctx.money(e.availableDeltaCents, true)}</td><td class="num">${e.heldDeltaCents === 0 ? "" : ctx.money(e.heldDeltaCents, true)}</td><td>${e.reason}</td><td><code>${e.tradeId ?? ""}</code></td><td>${e.actor ?? ""}</td></tr>`,
)}
</tbody></table>`;
}

export const memberPage: Page = async (ctx) => {
  const { ledger, members, accounts, records, i18n, dashboard } = ctx.core;
  const id = param(ctx, "id", 80);
  if (id === undefined || !parseMemberId(id)) {
    return page(i18n, ctx.locale, {
      title: ctx.t("dashboard.member.title"),
      signedIn: ctx.session.memberId,
      status: 404,
      body: html`<p class="warning">${ctx.t("dashboard.member.unknown")}</p>`,
    });
  }
  const beforeRaw = Number(param(ctx, "before", 12));
  const before = Number.isSafeInteger(beforeRaw) && beforeRaw > 1 ? beforeRaw : undefined;
  const [balance, profile, link, trades, entries, length] = await Promise.all([
    ledger.balance(id),
    members.get(id),
    accounts.get(id),
    records.ofMember(id, 10),
    ledger.journal(id, { limit: JOURNAL_PER_PAGE, ...(before ? { before } : {}) }),
    dashboard.reads.journalLength(id),
  ]);
  const card = (label: string, value: string) =>
    html`<div class="card"><div class="label">${label}</div><div class="value">${value}</div></div>`;
  const lock = profile.locked
    ? ctx.t("dashboard.member.lockedBy", { reason: profile.locked.reason, by: profile.locked.by })
    : profile.withdrawalsLocked
      ? ctx.t("dashboard.member.withdrawalsLocked", { reason: profile.withdrawalsLocked.reason })
      : ctx.t("dashboard.member.notLocked");
  const oldest = entries.at(-1)?.id;
  const body = html`<div class="cards">
${card(ctx.t("dashboard.solvency.available"), ctx.money(balance.availableCents))}
${card(ctx.t("dashboard.solvency.held"), ctx.money(balance.heldCents))}
${card(ctx.t("dashboard.col.name"), profile.displayName ?? "—")}
${card(ctx.t("dashboard.col.steam"), link ? link.steamId : ctx.t("dashboard.member.notLinked"))}
</div>
<p id="lock-state">${lock}${profile.unreachable ? html` · <span class="bad">${ctx.t("dashboard.member.unreachable")}</span>` : ""}</p>
<p><a class="button" id="export-journal" href="/dashboard/export/journal.csv${query({ member: id })}">${ctx.t("dashboard.exports.journal")}</a></p>
<h2>${ctx.t("dashboard.nav.trades")}</h2>
${
  trades.length === 0
    ? html`<p class="muted">${ctx.t("dashboard.trades.none")}</p>`
    : html`<table><tbody>${trades.map(
        (r) =>
          html`<tr><td>${ctx.date(r.createdAt)}</td><td>${ctx.t(r.kind === "deposit" ? "dashboard.kind.deposit" : "dashboard.kind.withdraw")}</td><td class="num">${ctx.money(r.totalCents)}</td><td>${r.status ? statusText(i18n, ctx.locale, r.status) : r.phase}</td><td><code>${r.tradeId ?? r.externalId}</code></td></tr>`,
      )}</tbody></table>`
}
<h2>${ctx.t("dashboard.member.journal", { count: length })}</h2>
${entries.length === 0 ? html`<p class="muted">${ctx.t("dashboard.member.emptyJournal")}</p>` : journalTable(ctx, entries)}
<p class="pager">${before ? html`<a href="/dashboard/member${query({ id })}">${ctx.t("dashboard.first")}</a>` : ""}${oldest !== undefined && oldest > 1 ? html`<a id="older" href="/dashboard/member${query({ id, before: oldest })}">${ctx.t("dashboard.older")}</a>` : ""}</p>`;
  return page(i18n, ctx.locale, {
    title: ctx.t("dashboard.member.heading", { member: id }),
    current: "/dashboard/members",
    signedIn: ctx.session.memberId,
    body,
  });
};
