/** What every dashboard page gets: the core, the signed-in moderator, the request's query. */
import type { Logger } from "pino";
import type { Accounts } from "../../core/accounts.ts";
import type { CommunityLog } from "../../core/community-log.ts";
import type { Dashboard } from "../../core/dashboard/dashboard.ts";
import type { Session } from "../../core/dashboard/sessions.ts";
import type { Ledger } from "../../core/ledger.ts";
import type { Members } from "../../core/members.ts";
import type { Outbox } from "../../core/outbox.ts";
import type { TradeRecords } from "../../core/trade-records.ts";
import type { I18n, Locale, MessageKey, MessageParams } from "../../ui/i18n.ts";
import type { HttpReply } from "../server.ts";

/**
 * The part of the core the dashboard reads, and the two settings it needs, handed over by the
 * composition root; the pages only read from it.
 */
export interface DashboardCore {
  dashboard: Dashboard;
  ledger: Ledger;
  members: Members;
  accounts: Accounts;
  records: TradeRecords;
  community: CommunityLog;
  outbox: Outbox;
  i18n: I18n;
  logger: Logger;
  /** The community's default language: every page is in it. */
  locale: Locale;
  /** Served over https (PUBLIC_URL): the session cookie is marked `Secure`. */
  secureCookies: boolean;
}

export interface PageContext {
  core: DashboardCore;
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
