/** What every dashboard page gets: the core, the signed-in moderator, the request's query. */
import type { Core } from "../../app.ts";
import type { Session } from "../../core/dashboard/sessions.ts";
import type { Locale, MessageKey, MessageParams } from "../../ui/i18n.ts";
import type { HttpReply } from "../server.ts";

export interface PageContext {
  core: Core;
  session: Session;
  locale: Locale;
  query: URLSearchParams;
  t(key: MessageKey, params?: MessageParams): string;
  money(cents: number, signed?: boolean): string;
  date(iso: string): string;
}

export type Page = (ctx: PageContext) => Promise<HttpReply>;

/** A query parameter, trimmed and bounded; empty means absent. */
export function param(ctx: PageContext, name: string, max = 100): string | undefined {
  const v = ctx.query.get(name)?.trim().slice(0, max);
  return v === undefined || v === "" ? undefined : v;
}
