/**
 * Signing in and out. The link from `/admin dashboard` opens a page with a button: the token is
 * only used up by that button's POST, so a chat app fetching a link preview cannot spend it.
 * A used, expired or unknown token, or one for someone who is no longer a moderator, is refused
 * (and recorded); a good one becomes the session cookie.
 */
import type { IncomingMessage } from "node:http";
import type { HttpReply } from "../server.ts";
import type { DashboardCore } from "./context.ts";
import { html } from "./html.ts";
import { page } from "./layout.ts";

export const COOKIE = "sb_dashboard";

export function cookieOf(req: IncomingMessage, name = COOKIE): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function cookieHeader(core: DashboardCore, value: string, maxAgeSeconds: number): string {
  const secure = core.secureCookies ? "; Secure" : "";
  return `${COOKIE}=${value}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function clearedCookie(core: DashboardCore): string {
  return cookieHeader(core, "", 0);
}

export function signInPage(core: DashboardCore, token: string): HttpReply {
  const { i18n } = core;
  const locale = core.locale;
  return page(i18n, locale, {
    title: i18n.t(locale, "dashboard.signIn.title"),
    body: html`<div class="centered"><p>${i18n.t(locale, "dashboard.signIn.explain")}</p>
<form method="post" action="/dashboard/sign-in"><input type="hidden" name="token" value="${token}">
<button type="submit" id="sign-in">${i18n.t(locale, "dashboard.signIn.button")}</button></form></div>`,
  });
}

export function refusedPage(
  core: DashboardCore,
  status: number,
  why: "link" | "signedOut" | "notModerator",
): HttpReply {
  const { i18n } = core;
  const locale = core.locale;
  const key =
    why === "link"
      ? "dashboard.signIn.refused"
      : why === "notModerator"
        ? "dashboard.signIn.notModerator"
        : "dashboard.signIn.signedOut";
  const reply = page(i18n, locale, {
    title: i18n.t(locale, "dashboard.signIn.title"),
    status,
    body: html`<div class="centered"><p class="warning" id="refused">${i18n.t(locale, key)}</p><p>${i18n.t(locale, "dashboard.signIn.howTo")}</p></div>`,
  });
  return { ...reply, headers: { ...reply.headers, "set-cookie": clearedCookie(core) } };
}

export async function redeemSignIn(core: DashboardCore, rawBody: Buffer): Promise<HttpReply> {
  const { dashboard } = core;
  const token = new URLSearchParams(rawBody.toString("utf8").slice(0, 2048)).get("token") ?? "";
  const at = () => new Date(dashboard.now()).toISOString();
  const redeemed = await dashboard.links.redeem(token);
  if (!redeemed.ok) {
    await dashboard.audit.append({ at: at(), action: "sign-in-refused", detail: `link ${redeemed.why}` });
    return refusedPage(core, 403, "link");
  }
  if (!(await dashboard.moderators.isModerator(redeemed.memberId))) {
    await dashboard.audit.append({
      at: at(),
      action: "sign-in-refused",
      memberId: redeemed.memberId,
      detail: "not a moderator",
    });
    return refusedPage(core, 403, "notModerator");
  }
  const { cookie, session } = dashboard.sessions.issue(redeemed.memberId);
  await dashboard.audit.append({
    at: at(),
    action: "sign-in",
    memberId: redeemed.memberId,
    detail: `session ${session.id}`,
  });
  core.logger.info({ memberId: redeemed.memberId, session: session.id }, "dashboard sign-in");
  return {
    status: 303,
    body: "",
    headers: {
      location: "/dashboard",
      "set-cookie": cookieHeader(core, cookie, Math.floor(dashboard.sessions.lifetimeMs / 1000)),
      "cache-control": "no-store",
    },
  };
}
