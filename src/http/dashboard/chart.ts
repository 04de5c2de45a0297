/**
 * The solvency chart as inline SVG: two polylines (wallet, owed) over the sampled history, no
 * script and no third-party library, so the CSP stays `default-src 'none'`.
 */
import type { SolvencySample } from "../../core/dashboard/solvency.ts";
import { Html, html } from "./html.ts";

const W = 600;
const H = 180;
const PAD = 24;

export function solvencyChart(samples: SolvencySample[], labels: { wallet: string; owed: string }): Html {
  const points = [...samples].reverse();
  if (points.length < 2) return new Html("");
  const times = points.map((s) => Date.parse(s.at));
  const values = points.flatMap((s) => [s.owedCents, s.walletCents ?? s.owedCents]);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const v0 = Math.min(0, ...values);
  const v1 = Math.max(1, ...values);
  const x = (t: number) => PAD + ((t - t0) / Math.max(1, t1 - t0)) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - ((v - v0) / Math.max(1, v1 - v0)) * (H - 2 * PAD);
  const line = (pick: (s: SolvencySample) => number | undefined) =>
    points
      .map((s, i) => [s, times[i] ?? t0] as const)
      .filter(([s]) => pick(s) !== undefined)
      .map(([s, t]) => `${x(t).toFixed(1)},${y(pick(s) ?? 0).toFixed(1)}`)
      .join(" ");
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${labels.wallet} / ${labels.owed}">
<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="currentColor" stroke-opacity="0.2"/>
<polyline class="wallet" fill="none" stroke-width="2" points="${line((s) => s.walletCents)}"/>
<polyline class="owed" fill="none" stroke-width="2" points="${line((s) => s.owedCents)}"/>
</svg>
<p class="legend"><span class="wallet">━ ${labels.wallet}</span><span class="owed">━ ${labels.owed}</span></p>`;
}
