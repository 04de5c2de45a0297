/** The two metrics the shipped alert rules need besides the existing ones. */
import { describe, expect, it } from "vitest";
import type { Trade } from "../../src/assetpay/schemas.ts";
import type { Settlement } from "../../src/core/settlement.ts";
import { timeApprovals } from "../../src/http/approval-timing.ts";
import { createMetrics } from "../../src/http/metrics.ts";

describe("approval latency", () => {
  it("is observed for every approval answer, by verdict, and nothing else is changed", async () => {
    const metrics = createMetrics();
    const answers = [{ approve: true as const }, { approve: false as const, reason: "insufficient" }];
    const settlement: Settlement = {
      approve: async () => answers.shift() ?? { approve: false, reason: "none" },
      apply: async () => "applied",
      drain: async () => 0,
      watchAfterLook: async () => undefined,
    };
    const timed = timeApprovals(settlement, metrics);
    expect(await timed.approve({} as Trade)).toEqual({ approve: true });
    expect(await timed.approve({} as Trade)).toEqual({ approve: false, reason: "insufficient" });
    expect(await timed.apply({} as Trade, { via: "callback" })).toBe("applied");
    const text = await metrics.render();
    expect(text).toMatch(/^skinbridge_approval_seconds_count\{verdict="approved"\} 1$/m);
    expect(text).toMatch(/^skinbridge_approval_seconds_count\{verdict="rejected"\} 1$/m);
  });
});

describe("the solvency gap gauge", () => {
  it("is exported in cents", async () => {
    const metrics = createMetrics();
    metrics.solvencyGap.set(-12_345);
    expect(await metrics.render()).toMatch(/^skinbridge_solvency_gap_cents -12345$/m);
  });
});
