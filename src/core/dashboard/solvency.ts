/**
 * Solvency: the merchant wallet next to what members are owed (available + held). A sample is
 * taken on a timer and on every solvency page view; samples are kept (bounded) for the chart and
 * the gap goes to the `skinbridge_solvency_gap_cents` gauge for alerting.
 */

import type { Cents } from "../../base/money.ts";
import { getAs, type KV } from "../kv.ts";
import type { Ledger } from "../ledger.ts";

export interface SolvencySample {
  at: string;
  /** Undefined when AssetPay could not be asked. */
  walletCents?: Cents;
  owedCents: Cents;
  availableCents: Cents;
  heldCents: Cents;
  members: number;
}

export interface Solvency {
  /** Reads both sides now; stores the sample when the last stored one is older than the interval. */
  sample(): Promise<SolvencySample>;
  history(limit: number): Promise<SolvencySample[]>;
}

const KEEP = 500;

/** What members are owed beyond the wallet (positive: not covered). */
export function gapOf(sample: SolvencySample): Cents | undefined {
  return sample.walletCents === undefined ? undefined : sample.owedCents - sample.walletCents;
}

export function createSolvency(deps: {
  ledger: Ledger;
  wallet: () => Promise<{ balanceCents: Cents } | undefined>;
  kv: KV;
  now: () => number;
  /** Minimum spacing of stored samples; page views in between are shown but not stored. */
  spacingMs: number;
  onGap?: (gapCents: Cents) => void;
}): Solvency {
  const key = "solvency-samples";
  return {
    async sample() {
      const [wallet, totals] = await Promise.all([deps.wallet(), deps.ledger.totals()]);
      const sample: SolvencySample = {
        at: new Date(deps.now()).toISOString(),
        owedCents: totals.availableCents + totals.heldCents,
        availableCents: totals.availableCents,
        heldCents: totals.heldCents,
        members: totals.members,
        ...(wallet ? { walletCents: wallet.balanceCents } : {}),
      };
      const gap = gapOf(sample);
      if (gap !== undefined) deps.onGap?.(gap);
      const list = (await getAs<SolvencySample[]>(deps.kv, key)) ?? [];
      const last = list[0];
      if (!last || deps.now() - Date.parse(last.at) >= deps.spacingMs) {
        list.unshift(sample);
        await deps.kv.set(key, list.slice(0, KEEP));
      }
      return sample;
    },
    async history(limit) {
      return ((await getAs<SolvencySample[]>(deps.kv, key)) ?? []).slice(0, limit);
    },
  };
}
