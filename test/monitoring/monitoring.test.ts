/**
 * The shipped Prometheus alert rules and Grafana dashboard: promtool (Debian's `prometheus`
 * package, installed by scripts/test.sh when missing) checks the rules, runs their unit tests and
 * parses every Grafana query; every metric they name must be one the app exports.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createMetrics } from "../../src/http/metrics.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const RULES = join(ROOT, "monitoring/prometheus/alerts.yml");
const RULE_TESTS = join(ROOT, "monitoring/prometheus/alerts.test.yml");
const GRAFANA = join(ROOT, "monitoring/grafana/skinbridge.json");
const scratch = mkdtempSync(join(tmpdir(), "sb-monitoring-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function promtool(...args: string[]): string {
  return execFileSync("promtool", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

interface GrafanaPanel {
  title: string;
  targets: { expr: string }[];
}
const grafana = JSON.parse(readFileSync(GRAFANA, "utf8")) as { panels: GrafanaPanel[]; uid: string };
const grafanaExprs = grafana.panels.flatMap((p) => p.targets.map((t) => t.expr));

/** Metric names referenced in PromQL text, histogram series folded to their metric. */
function metricNames(text: string): string[] {
  const names = [...text.matchAll(/\bskinbridge_[a-z_]+/g)].map((m) =>
    m[0].replace(/_(bucket|sum|count)$/, ""),
  );
  return [...new Set(names)].sort();
}

describe("the shipped monitoring", () => {
  it("has alert rules promtool accepts, for every concern the operator guide names", () => {
    expect(promtool("check", "rules", RULES)).toContain("SUCCESS: 5 rules found");
    const rules = readFileSync(RULES, "utf8");
    for (const alert of [
      "SkinbridgeCallbacksRefused",
      "SkinbridgeApprovalSlow",
      "SkinbridgeOutboxBacklog",
      "SkinbridgeUndeliverableNotices",
      "SkinbridgeSolvencyGap",
    ])
      expect(rules).toContain(`alert: ${alert}`);
  });

  it("fires each alert on the series that should trip it and not on healthy ones (promtool test rules)", () => {
    expect(promtool("test", "rules", RULE_TESTS)).toContain("SUCCESS");
  });

  it("has a Grafana dashboard whose every query is valid PromQL", () => {
    expect(grafana.uid).toBe("skinbridge");
    expect(grafanaExprs.length).toBeGreaterThanOrEqual(8);
    // Grafana's own interval variable is not PromQL; promtool parses the rest as recording rules.
    const asRules = {
      groups: [
        {
          name: "grafana-queries",
          rules: grafanaExprs.map((expr, i) => ({
            record: `grafana:query_${i}`,
            expr: expr.replaceAll("$__rate_interval", "5m"),
          })),
        },
      ],
    };
    const file = join(scratch, "grafana-queries.yml");
    writeFileSync(file, stringify(asRules));
    expect(promtool("check", "rules", file)).toContain(`SUCCESS: ${grafanaExprs.length} rules found`);
  });

  it("names only metrics the app exports, and watches the solvency gap and approval latency", async () => {
    const exported = (await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name);
    const named = metricNames(`${readFileSync(RULES, "utf8")}\n${grafanaExprs.join("\n")}`);
    expect(named.filter((n) => !exported.includes(n))).toEqual([]);
    expect(named).toEqual(
      expect.arrayContaining(["skinbridge_solvency_gap_cents", "skinbridge_approval_seconds"]),
    );
  });
});
