/**
 * Prometheus metrics for `GET /metrics`: callbacks by outcome, ledger operations, the outbox
 * (depth, age of the oldest notice, deliveries by outcome), sends and 429s per chat platform,
 * AssetPay latency. One registry per app (no global default registry), so tests and several
 * apps in one process never share counters.
 *
 * In a drop, watch `rate(skinbridge_platform_sends_total[1m])` per platform against the
 * platform's limit, `skinbridge_outbox_oldest_notice_seconds` for how far behind the DMs are, and
 * `skinbridge_platform_rate_limited_total`, which should stay flat.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { OutboxStats } from "../core/outbox.ts";

export interface Metrics {
  registry: Registry;
  callbacks: Counter<"outcome">;
  ledgerOps: Counter<"op" | "result">;
  tradeCommits: Counter<"result">;
  outboxDeliveries: Counter<"outcome" | "platform">;
  outboxDepth: Gauge;
  outboxOldest: Gauge;
  /** Messages sent to a chat platform, by platform and kind (reply or notice). */
  platformSends: Counter<"platform" | "kind">;
  /** 429 answers from a chat platform, by platform and kind. */
  rateLimited: Counter<"platform" | "kind">;
  apiLatency: Histogram<"operation" | "status">;
  /** Seconds from an approval callback's arrival to the bot's verdict. */
  approvalLatency: Histogram<"verdict">;
  /** What members are owed beyond the merchant wallet, in cents (positive: not covered). */
  solvencyGap: Gauge;
  render(): Promise<string>;
}

export function createMetrics(opts: { outbox?: (now: number) => Promise<OutboxStats> } = {}): Metrics {
  const registry = new Registry();
  const callbacks = new Counter({
    name: "skinbridge_callbacks_total",
    help: "AssetPay callbacks received, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const ledgerOps = new Counter({
    name: "skinbridge_ledger_operations_total",
    help: "Ledger operations, by operation and result (applied, duplicate, refused)",
    labelNames: ["op", "result"] as const,
    registers: [registry],
  });
  const tradeCommits = new Counter({
    name: "skinbridge_trade_commits_total",
    help: "Settlement commits, by result (committed, conflict: recomputed on fresh state, insufficient)",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const outboxDeliveries = new Counter({
    name: "skinbridge_outbox_deliveries_total",
    help: "Notice delivery attempts, by outcome (sent, retry, undeliverable, postponed, rate_limited) and platform",
    labelNames: ["outcome", "platform"] as const,
    registers: [registry],
  });
  const statsSource = opts.outbox;
  // One read of the outbox serves both gauges of a scrape.
  let scrape: Promise<OutboxStats> | undefined;
  const stats = () => {
    scrape ??= (statsSource as (now: number) => Promise<OutboxStats>)(Date.now()).finally(() =>
      setImmediate(() => {
        scrape = undefined;
      }),
    );
    return scrape;
  };
  const outboxDepth = new Gauge({
    name: "skinbridge_outbox_depth",
    help: "Notices waiting or being delivered",
    registers: [registry],
    async collect() {
      if (!statsSource) return;
      const s = await stats();
      this.set(s.waiting + s.leased);
    },
  });
  const outboxOldest = new Gauge({
    name: "skinbridge_outbox_oldest_notice_seconds",
    help: "Age of the oldest notice not yet delivered (0 when the outbox is empty)",
    registers: [registry],
    async collect() {
      if (!statsSource) return;
      const s = await stats();
      this.set(s.oldestCreatedAt === undefined ? 0 : Math.max(0, Date.now() - s.oldestCreatedAt) / 1000);
    },
  });
  const platformSends = new Counter({
    name: "skinbridge_platform_sends_total",
    help: "Messages sent to a chat platform, by platform and kind (reply, notice)",
    labelNames: ["platform", "kind"] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: "skinbridge_platform_rate_limited_total",
    help: "429 answers from a chat platform, by platform and kind (reply, notice)",
    labelNames: ["platform", "kind"] as const,
    registers: [registry],
  });
  const apiLatency = new Histogram({
    name: "skinbridge_assetpay_request_seconds",
    help: "AssetPay API request latency, by operation and HTTP status",
    labelNames: ["operation", "status"] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 100],
    registers: [registry],
  });
  const approvalLatency = new Histogram({
    name: "skinbridge_approval_seconds",
    help: "Time to answer a withdrawal approval callback, by verdict",
    labelNames: ["verdict"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const solvencyGap = new Gauge({
    name: "skinbridge_solvency_gap_cents",
    help: "What members are owed (available + held) minus the merchant wallet, in cents; positive means withdrawals are not covered",
    registers: [registry],
  });
  return {
    registry,
    approvalLatency,
    solvencyGap,
    callbacks,
    ledgerOps,
    tradeCommits,
    outboxDeliveries,
    outboxDepth,
    outboxOldest,
    platformSends,
    rateLimited,
    apiLatency,
    render: () => registry.metrics(),
  };
}
