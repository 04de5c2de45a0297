/** The outbox: how many notices wait, how many could not be delivered, who cannot be reached. */
import { parseMemberId } from "../../../core/members.ts";
import type { Page } from "../context.ts";
import { html, query } from "../html.ts";
import { page } from "../layout.ts";

const UNREACHABLE_SHOWN = 100;

export const notificationsPage: Page = async (ctx) => {
  const { outbox, members, dashboard, i18n } = ctx.core;
  const stats = await outbox.stats(dashboard.now());
  const unreachable = await dashboard.reads.unreachable(UNREACHABLE_SHOWN);
  const rows = await Promise.all(
    unreachable.map(async (id) => {
      const parsed = parseMemberId(id);
      const [profile, inbox] = await Promise.all([
        members.get(id),
        parsed ? outbox.inbox(parsed, { limit: 100 }) : Promise.resolve([]),
      ]);
      return { id, profile, waiting: inbox.length };
    }),
  );
  const card = (id: string, label: string, value: number) =>
    html`<div class="card"><div class="label">${label}</div><div class="value" id="${id}">${value}</div></div>`;
  const body = html`<div class="cards">
${card("depth", ctx.t("dashboard.notifications.depth"), stats.waiting + stats.leased)}
${card("due", ctx.t("dashboard.notifications.due"), stats.due)}
${card("expired", ctx.t("dashboard.notifications.expiredLeases"), stats.expiredLeases)}
${card("undeliverable", ctx.t("dashboard.notifications.undeliverable"), stats.undeliverable)}
${card("retried", ctx.t("dashboard.notifications.retried"), stats.retried)}
${card("acked", ctx.t("dashboard.notifications.sent"), stats.acked)}
</div>
<h2>${ctx.t("dashboard.notifications.unreachable", { count: rows.length })}</h2>
${
  rows.length === 0
    ? html`<p class="muted">${ctx.t("dashboard.notifications.everyoneReachable")}</p>`
    : html`<table id="unreachable"><thead><tr><th>${ctx.t("dashboard.col.member")}</th><th>${ctx.t("dashboard.col.name")}</th><th>${ctx.t("dashboard.col.since")}</th><th>${ctx.t("dashboard.col.reason")}</th><th class="num">${ctx.t("dashboard.notifications.inbox")}</th></tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td><a href="/dashboard/member${query({ id: r.id })}">${r.id}</a></td><td>${r.profile.displayName ?? "—"}</td><td>${r.profile.unreachable ? ctx.date(r.profile.unreachable.since) : "—"}</td><td>${r.profile.unreachable?.reason ?? ""}</td><td class="num">${r.waiting}</td></tr>`,
)}</tbody></table>`
}`;
  return page(i18n, ctx.locale, {
    title: ctx.t("dashboard.nav.notifications"),
    current: "/dashboard/notifications",
    signedIn: ctx.session.memberId,
    body,
  });
};
