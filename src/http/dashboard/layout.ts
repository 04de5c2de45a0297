/**
 * Every dashboard page's frame and the headers every answer carries: a CSP that allows nothing
 * but the listener's own stylesheet and form posts, no referrer (a sign-in link must not leak
 * to anything), no caching, no framing.
 */
import type { I18n, Locale, MessageKey } from "../../ui/i18n.ts";
import type { HttpReply } from "../server.ts";
import { type Html, html } from "./html.ts";

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

export const NAV: { path: string; key: MessageKey }[] = [
  { path: "/dashboard", key: "dashboard.nav.solvency" },
  { path: "/dashboard/trades", key: "dashboard.nav.trades" },
  { path: "/dashboard/members", key: "dashboard.nav.members" },
  { path: "/dashboard/notifications", key: "dashboard.nav.notifications" },
  { path: "/dashboard/community", key: "dashboard.nav.community" },
  { path: "/dashboard/exports", key: "dashboard.nav.exports" },
];

export function page(
  i18n: I18n,
  locale: Locale,
  opts: { title: string; current?: string; signedIn?: string; body: Html; status?: number },
): HttpReply {
  const t = (key: MessageKey) => i18n.t(locale, key);
  const nav = opts.signedIn
    ? html`<nav>${NAV.map(
        (n) =>
          html`<a href="${n.path}"${n.path === opts.current ? html` class="current"` : ""}>${t(n.key)}</a>`,
      )}</nav>
<form method="post" action="/dashboard/sign-out"><span class="muted">${opts.signedIn}</span> <button type="submit">${t("dashboard.signOut")}</button></form>`
    : "";
  const doc = html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · skinbridge</title><link rel="stylesheet" href="/dashboard/style.css"></head>
<body><header><span class="brand">skinbridge</span>${nav}</header>
<main><h1>${opts.title}</h1>${opts.body}</main></body></html>`;
  return {
    status: opts.status ?? 200,
    body: doc.text,
    headers: { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" },
  };
}
