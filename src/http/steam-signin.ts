/**
 * The browser's side of the Steam sign-in, on the bot's one listener: `GET /steam/signin`
 * (the chat button's URL) sends the browser to Steam; `GET /steam/return` is where Steam sends it
 * back, and answers a small page in the member's language saying what happened and what to do
 * next in the chat. Nothing secret reaches the page: a refusal names its reason, never the
 * assertion or the state.
 */
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import { SIGNIN_PATHS, type SignInOutcome, type SteamSignIn } from "../core/steam-signin.ts";
import type { I18n, Locale, MessageKey } from "../ui/i18n.ts";
import { isLocale } from "../ui/locales.ts";
import type { HttpListener, HttpReply } from "./server.ts";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

const FAILURE_TEXT = {
  invalid: "signin.page.invalid",
  cancelled: "signin.page.cancelled",
  expired: "signin.page.expired",
  replayed: "signin.page.replayed",
  mismatch: "signin.page.mismatch",
} as const satisfies Record<string, MessageKey>;

function page(i18n: I18n, locale: Locale, status: number, body: string): HttpReply {
  const title = i18n.t(locale, "signin.page.title");
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1><p id="outcome">${escapeHtml(body)}</p></main></body></html>`;
  return {
    status,
    body: html,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'",
    },
  };
}

function outcomeText(i18n: I18n, locale: Locale, outcome: SignInOutcome): string {
  if (outcome.ok) return i18n.t(locale, "signin.page.ok", { steamId: outcome.steamId });
  if (outcome.failure === "mismatch")
    return i18n.t(locale, FAILURE_TEXT.mismatch, {
      signedIn: outcome.signedIn ?? "",
      steamId: outcome.steamId ?? "",
    });
  return i18n.t(locale, FAILURE_TEXT[outcome.failure]);
}

export function addSteamSignInRoutes(
  http: HttpListener,
  deps: { signIn: SteamSignIn; i18n: I18n; logger: Logger },
) {
  const { signIn, i18n, logger } = deps;
  const queryOf = (req: IncomingMessage) => new URL(req.url ?? "/", "http://listener.local").searchParams;

  http.route("GET", SIGNIN_PATHS.start, async (req) => {
    const to = await signIn.redirect(queryOf(req).get("state") ?? "");
    if (to) return { status: 302, headers: { location: to, "cache-control": "no-store" } };
    return page(i18n, i18n.defaultLocale, 400, i18n.t(i18n.defaultLocale, FAILURE_TEXT.expired));
  });

  http.route("GET", SIGNIN_PATHS.back, async (req) => {
    const query = queryOf(req);
    const outcome = await signIn.complete(query.get("state") ?? "", query);
    const locale = outcome.locale && isLocale(outcome.locale) ? outcome.locale : i18n.defaultLocale;
    logger.info({ outcome: outcome.ok ? "proven" : outcome.failure }, "steam sign-in returned");
    return page(i18n, locale, outcome.ok ? 200 : 400, outcomeText(i18n, locale, outcome));
  });
}
