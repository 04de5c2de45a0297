/**
 * Times withdrawal approvals for `skinbridge_approval_seconds`: AssetPay waits on the answer,
 * so how long it takes is worth an alert. Wraps the settlement the callback handler calls.
 */
import type { Settlement } from "../core/settlement.ts";
import type { Metrics } from "./metrics.ts";

export function timeApprovals(settlement: Settlement, metrics: Metrics): Settlement {
  return {
    ...settlement,
    async approve(trade) {
      const started = process.hrtime.bigint();
      const answer = await settlement.approve(trade);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.approvalLatency.observe({ verdict: answer.approve ? "approved" : "rejected" }, seconds);
      return answer;
    },
  };
}
