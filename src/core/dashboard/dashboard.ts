/**
 * The dashboard's services in one place, built by the composition root: sign-in links, signed
 * sessions, the moderator check, its audit, solvency sampling and the paged reads.
 */

import type { Cents } from "../../base/money.ts";
import type { Config } from "../../config.ts";
import type { KV } from "../kv.ts";
import type { Ledger } from "../ledger.ts";
import { createDashboardAudit, type DashboardAudit } from "./audit.ts";
import { createModerators, type Moderators } from "./moderators.ts";
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

export function createDashboard(deps: {
  config: Config;
  kv: KV;
  ledger: Ledger;
  reads: DashboardReads;
  inFlight: TradeIndexReader;
  wallet: () => Promise<{ balanceCents: Cents } | undefined>;
  onGap: (gapCents: Cents) => void;
  boundUrl: () => string | undefined;
  now: () => number;
}): Dashboard {
  const { config, kv, now } = deps;
  const sessionMs = config.dashboard.sessionMinutes * 60_000;
  const baseUrl = () => config.http.publicUrl ?? deps.boundUrl() ?? `http://127.0.0.1:${config.http.port}`;
  return {
    links: createSignInLinks({ kv, ttlMs: config.dashboard.linkMinutes * 60_000, now }),
    sessions: createSessions({
      key: deriveSessionKey(config.assetpay.apiSecret),
      lifetimeMs: sessionMs,
      now,
    }),
    moderators: createModerators({
      lists: () => ({
        discord: config.discord?.adminUserIds ?? [],
        telegram: config.telegram?.adminUserIds ?? [],
      }),
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
      spacingMs: Math.max(1, config.dashboard.sampleMinutes) * 60_000,
      onGap: deps.onGap,
    }),
    reads: deps.reads,
    inFlight: deps.inFlight,
    baseUrl,
    signInUrl: (token) => `${baseUrl()}/dashboard/sign-in?token=${token}`,
    now,
  };
}
