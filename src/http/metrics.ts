/**
 * Prometheus metrics for `GET /metrics`: callbacks by outcome, ledger operations, outbox
 * depth, AssetPay latency. One registry per app (no global default registry), so tests and
 * several apps in one process never share counters.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  callbacks: Counter<"outcome">;
  ledgerOps: Counter<"op" | "result">;
  tradeCommits: Counter<"result">;
  outboxDeliveries: Counter<"outcome">;
  outboxDepth: Gauge;
  apiLatency: Histogram<"operation" | "status">;
  /** Seconds from an approval callback's arrival to the bot's verdict. */
  approvalLatency: Histogram<"verdict">;
  /** What members are owed beyond the merchant wallet, in cents (positive: not covered). */
  solvencyGap: Gauge;
  render(): Promise<string>;
}

export function createMetrics(opts: { outboxDepth?: () => Promise<number> } = {}): Metrics {
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
    help: "Notice delivery attempts, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const depthSource = opts.outboxDepth;
  const outboxDepth = new Gauge({
    name: "skinbridge_outbox_depth",
    help: "Notices waiting or being delivered",
    registers: [registry],
    async collect() {
      if (depthSource) this.set(await depthSource());
    },
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
    apiLatency,
    render: () => registry.metrics(),
  };
}
