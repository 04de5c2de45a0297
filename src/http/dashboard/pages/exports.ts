/**
 * CSV exports: a member's journal, or the whole ledger for a date range (UTC days, `to`
 * inclusive). Each export is recorded in the dashboard audit with who took it.
 */
import { ExportTooLarge, ledgerCsv, MAX_EXPORT_ROWS, memberJournalCsv } from "../../../core/dashboard/csv.ts";
import { parseMemberId } from "../../../core/members.ts";
import type { HttpReply } from "../../server.ts";
import { type Page, type PageContext, param } from "../context.ts";
import { html } from "../html.ts";
import { page, SECURITY_HEADERS } from "../layout.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export const exportsPage: Page = async (ctx) => {
  const today = new Date(ctx.core.dashboard.now()).toISOString().slice(0, 10);
  const monthAgo = new Date(ctx.core.dashboard.now() - 30 * DAY_MS).toISOString().slice(0, 10);
  const body = html`<h2>${ctx.t("dashboard.exports.ledger")}</h2>
<form class="filters" method="get" action="/dashboard/export/ledger.csv">
<label>${ctx.t("dashboard.exports.from")}<input type="date" name="from" value="${monthAgo}" required></label>
<label>${ctx.t("dashboard.exports.to")}<input type="date" name="to" value="${today}" required></label>
<button type="submit" id="export-ledger">${ctx.t("dashboard.exports.download")}</button></form>
<h2>${ctx.t("dashboard.exports.journal")}</h2>
<form class="filters" method="get" action="/dashboard/export/journal.csv">
<label>${ctx.t("dashboard.col.member")}<input name="member" placeholder="telegram:123" required maxlength="80"></label>
<button type="submit">${ctx.t("dashboard.exports.download")}</button></form>
<p class="muted">${ctx.t("dashboard.exports.note")}</p>`;
  return page(ctx.core.i18n, ctx.locale, {
    title: ctx.t("dashboard.nav.exports"),
    current: "/dashboard/exports",
    signedIn: ctx.session.memberId,
    body,
  });
};

function csvReply(filename: string, csv: string): HttpReply {
  return {
    status: 200,
    body: csv,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
    },
  };
}

function badRequest(ctx: PageContext, message: string): HttpReply {
  return page(ctx.core.i18n, ctx.locale, {
    title: ctx.t("dashboard.nav.exports"),
    signedIn: ctx.session.memberId,
    status: 400,
    body: html`<p class="warning">${message}</p><p><a href="/dashboard/exports">${ctx.t("dashboard.nav.exports")}</a></p>`,
  });
}

export const journalExport: Page = async (ctx) => {
  const member = param(ctx, "member", 80);
  if (member === undefined || !parseMemberId(member))
    return badRequest(ctx, ctx.t("dashboard.member.unknown"));
  const csv = await memberJournalCsv(ctx.core.ledger, member);
  await ctx.core.dashboard.audit.append({
    at: new Date(ctx.core.dashboard.now()).toISOString(),
    action: "export",
    memberId: ctx.session.memberId,
    detail: `journal ${member}`,
  });
  return csvReply(`journal-${member.replace(":", "-")}.csv`, csv);
};

export const ledgerExport: Page = async (ctx) => {
  const from = param(ctx, "from", 10);
  const to = param(ctx, "to", 10);
  if (
    !from ||
    !to ||
    !DAY.test(from) ||
    !DAY.test(to) ||
    Number.isNaN(Date.parse(from)) ||
    Number.isNaN(Date.parse(to)) ||
    from > to
  )
    return badRequest(ctx, ctx.t("dashboard.exports.badRange"));
  const range = { from: new Date(`${from}T00:00:00Z`), to: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS) };
  let exported: { csv: string; rows: number };
  try {
    exported = await ledgerCsv({ ledger: ctx.core.ledger, reads: ctx.core.dashboard.reads }, range);
  } catch (err) {
    if (err instanceof ExportTooLarge)
      return badRequest(ctx, ctx.t("dashboard.exports.tooLarge", { max: MAX_EXPORT_ROWS }));
    throw err;
  }
  const { csv, rows } = exported;
  await ctx.core.dashboard.audit.append({
    at: new Date(ctx.core.dashboard.now()).toISOString(),
    action: "export",
    memberId: ctx.session.memberId,
    detail: `ledger ${from}..${to} (${rows})`,
  });
  return csvReply(`ledger-${from}-${to}.csv`, csv);
};
