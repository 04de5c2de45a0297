/**
 * The dashboard's services in one place, built by the composition root: sign-in links, signed
 * sessions, the moderator check, its audit, solvency sampling and the paged reads.
 */

import type { Cents } from "../../base/money.ts";
import type { KV } from "../kv.ts";
import type { Ledger } from "../ledger.ts";
import { createDashboardAudit, type DashboardAudit } from "./audit.ts";
import { createModerators, type ModeratorLists, type Moderators } from "./moderators.ts";
import type { DashboardReads } from "./read-model.ts";
import { createSessions, deriveSessionKey, type Sessions } from "./sessions.ts";
import { createSignInLinks, type SignInLinks } from "./sign-in.ts";
import { createSolvency, type Solvency } from "./solvency.ts";
import type { TradeIndexReader } from "./trades.ts";

export interface Dashboard {
  links: SignInLinks;
  sessions: Sessions;
  moderators: Moderators;
  audit: DashboardAudit;
  solvency: Solvency;
  reads: DashboardReads;
  /** The trades in flight (the reconciler's index). */
  inFlight: TradeIndexReader;
  /** Where the listener is reachable: PUBLIC_URL, else the address it bound. */
  baseUrl(): string;
  /** The full sign-in link for a fresh token. */
  signInUrl(token: string): string;
  now: () => number;
}

/** The settings the dashboard is built with, passed in by the composition root. */
export interface DashboardSettings {
  /** How long a sign-in link stays valid. */
  linkMinutes: number;
  /** How long a session (and a moderator check it granted) lasts. */
  sessionMinutes: number;
  /** Spacing of solvency samples (at least a minute). */
  sampleMinutes: number;
  /** PUBLIC_URL when set; otherwise links use the address the listener bound, else `listenPort`. */
  publicUrl?: string;
  listenPort: number;
  /** The secret the session key is derived from (never stored or shown). */
  sessionSecret: string;
  /** The configured moderators by platform user id. */
  adminUserIds: ModeratorLists;
}

export function createDashboard(deps: {
  settings: DashboardSettings;
  kv: KV;
  ledger: Ledger;
  reads: DashboardReads;
  inFlight: TradeIndexReader;
  wallet: () => Promise<{ balanceCents: Cents } | undefined>;
  onGap: (gapCents: Cents) => void;
  boundUrl: () => string | undefined;
  now: () => number;
}): Dashboard {
  const { settings, kv, now } = deps;
  const sessionMs = settings.sessionMinutes * 60_000;
  const baseUrl = () => settings.publicUrl ?? deps.boundUrl() ?? `http://127.0.0.1:${settings.listenPort}`;
  return {
    links: createSignInLinks({ kv, ttlMs: settings.linkMinutes * 60_000, now }),
    sessions: createSessions({
      key: deriveSessionKey(settings.sessionSecret),
      lifetimeMs: sessionMs,
      now,
    }),
    moderators: createModerators({
      lists: () => settings.adminUserIds,
      kv,
      grantMs: sessionMs,
      now,
    }),
    audit: createDashboardAudit(kv),
    solvency: createSolvency({
      ledger: deps.ledger,
      wallet: deps.wallet,
      kv,
      now,
      spacingMs: Math.max(1, settings.sampleMinutes) * 60_000,
      onGap: deps.onGap,
    }),
    reads: deps.reads,
    inFlight: deps.inFlight,
    baseUrl,
    signInUrl: (token) => `${baseUrl()}/dashboard/sign-in?token=${token}`,
    now,
  };
}
