/** Members: a search (name, chat id, SteamID) and the member list a page at a time. */
import { searchMembers } from "../../../core/dashboard/member-search.ts";
import type { MemberId } from "../../../core/ledger.ts";
import { type Page, type PageContext, param } from "../context.ts";
import { html, query } from "../html.ts";
import { page } from "../layout.ts";

export const MEMBERS_PER_PAGE = 50;

async function rows(ctx: PageContext, ids: MemberId[]) {
  const { ledger, members, accounts } = ctx.core;
  const filled = await Promise.all(
    ids.map(async (id) => {
      const [balance, profile, link] = await Promise.all([
        ledger.balance(id),
        members.get(id),
        accounts.get(id),
      ]);
      return { id, balance, profile, link };
    }),
  );
  return html`<table id="members"><thead><tr><th>${ctx.t("dashboard.col.member")}</th><th>${ctx.t("dashboard.col.name")}</th><th>${ctx.t("dashboard.col.steam")}</th><th class="num">${ctx.t("dashboard.solvency.available")}</th><th class="num">${ctx.t("dashboard.solvency.held")}</th><th>${ctx.t("dashboard.col.locks")}</th></tr></thead><tbody>
${filled.map(
  (m) =>
    html`<tr><td><a href="/dashboard/member${query({ id: m.id })}">${m.id}</a></td><td>${m.profile.displayName ?? "—"}</td><td>${m.link?.steamId ?? "—"}</td><td class="num">${ctx.money(m.balance.availableCents)}</td><td class="num">${ctx.money(m.balance.heldCents)}</td><td>${m.profile.locked || m.profile.withdrawalsLocked ? ctx.t("dashboard.member.locked") : "—"}</td></tr>`,
)}
</tbody></table>`;
}

export const membersPage: Page = async (ctx) => {
  const { dashboard, i18n } = ctx.core;
  const q = param(ctx, "q");
  let list: ReturnType<typeof html>;
  let pager = html``;
  if (q !== undefined) {
    const found = await searchMembers(
      {
        ledger: ctx.core.ledger,
        members: ctx.core.members,
        accounts: ctx.core.accounts,
        reads: dashboard.reads,
      },
      q,
    );
    list =
      found.length === 0
        ? html`<p class="muted" id="no-match">${ctx.t("dashboard.members.noMatch", { query: q })}</p>`
        : await rows(ctx, found);
  } else {
    const cursor = param(ctx, "cursor", 40);
    const [pageOf, count] = await Promise.all([
      dashboard.reads.memberPage(cursor, MEMBERS_PER_PAGE),
      dashboard.reads.memberCount(),
    ]);
    list = await rows(ctx, pageOf.members);
    pager = html`<p class="pager"><span class="muted">${ctx.t("dashboard.members.count", { count })}</span>${cursor ? html`<a href="/dashboard/members">${ctx.t("dashboard.first")}</a>` : ""}${pageOf.next ? html`<a id="next" href="/dashboard/members${query({ cursor: pageOf.next })}">${ctx.t("dashboard.next")}</a>` : ""}</p>`;
  }
  const body = html`<form class="filters" method="get" action="/dashboard/members">
<label>${ctx.t("dashboard.members.search")}<input name="q" value="${q ?? ""}" maxlength="100" placeholder="${ctx.t("dashboard.members.searchHint")}"></label>
<button type="submit">${ctx.t("dashboard.members.find")}</button></form>
${list}${pager}`;
  return page(i18n, ctx.locale, {
    title: ctx.t("dashboard.nav.members"),
    current: "/dashboard/members",
    signedIn: ctx.session.memberId,
    body,
  });
};
