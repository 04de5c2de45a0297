/**
 * Mounts the dashboard on the bot's listener. Every page goes through `guarded`: a valid session
 * cookie, then the moderator check again (rights can be taken away while a session lasts), then
 * the page in the community's default language. Read-only: the only POSTs sign in and out.
 */
import type { IncomingMessage } from "node:http";
import type { HttpListener, HttpReply } from "../server.ts";
import type { DashboardCore, Page } from "./context.ts";
import { SECURITY_HEADERS } from "./layout.ts";
import { communityPage } from "./pages/community.ts";
import { exportsPage, journalExport, ledgerExport } from "./pages/exports.ts";
import { memberPage } from "./pages/member.ts";
import { membersPage } from "./pages/members.ts";
import { notificationsPage } from "./pages/notifications.ts";
import { solvencyPage } from "./pages/solvency.ts";
import { tradesPage } from "./pages/trades.ts";
import { clearedCookie, cookieOf, redeemSignIn, refusedPage, signInPage } from "./sign-in.ts";
import { STYLESHEET } from "./style.ts";

const PAGES: Record<string, Page> = {
  "/dashboard": solvencyPage,
  "/dashboard/trades": tradesPage,
  "/dashboard/members": membersPage,
  "/dashboard/member": memberPage,
  "/dashboard/notifications": notificationsPage,
  "/dashboard/community": communityPage,
  "/dashboard/exports": exportsPage,
  "/dashboard/export/journal.csv": journalExport,
  "/dashboard/export/ledger.csv": ledgerExport,
};

function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return new URLSearchParams(q < 0 ? "" : url.slice(q + 1, q + 2049));
}

export async function guarded(core: DashboardCore, req: IncomingMessage, render: Page): Promise<HttpReply> {
  const { dashboard, i18n } = core;
  const session = dashboard.sessions.verify(cookieOf(req));
  if (!session) return refusedPage(core, 401, "signedOut");
  if (!(await dashboard.moderators.isModerator(session.memberId)))
    return refusedPage(core, 403, "notModerator");
  const locale = core.locale;
  return render({
    core,
    session,
    locale,
    query: queryOf(req),
    t: (key, params) => i18n.t(locale, key, params),
    money: (cents, signed) => i18n.money(locale, cents, { signed: signed ?? false }),
    date: (iso) => i18n.date(locale, iso),
  });
}

export function mountDashboard(http: HttpListener, core: DashboardCore): void {
  for (const [path, render] of Object.entries(PAGES)) {
    http.route("GET", path, (req) => guarded(core, req, render));
  }
  http.route("GET", "/dashboard/style.css", async () => ({
    status: 200,
    body: STYLESHEET,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": "text/css; charset=utf-8",
      "cache-control": "max-age=300",
    },
  }));
  http.route("GET", "/dashboard/sign-in", async (req) =>
    signInPage(core, (queryOf(req).get("token") ?? "").slice(0, 64)),
  );
  http.route("POST", "/dashboard/sign-in", (_req, body) => redeemSignIn(core, body));
  http.route("POST", "/dashboard/sign-out", async () => ({
    status: 303,
    body: "",
    headers: { location: "/dashboard", "set-cookie": clearedCookie(core), "cache-control": "no-store" },
  }));
}
