/**
 * A withdrawal's `initiated` callback is the blocking approval: up to 3 attempts, each with a new
 * delivery id; 2xx approves unless the body says `{"action":"reject"}`, a 4xx other than 408/429
 * rejects, anything else (timeout, 5xx, 408, 429, network) is a failed attempt.
 */
import type { Sleep } from "../sleep.ts";
import type { ApprovalResult, DeliveryLog, DeliveryRecord } from "./records.ts";
import { backoff, type RetryPolicy } from "./retry.ts";
import type { AttemptResult, CallbackTransport } from "./transport.ts";

const APPROVAL_ATTEMPTS = 3;

export interface ApprovalDeps {
  transport: CallbackTransport;
  log: DeliveryLog;
  retry: RetryPolicy;
  approvalTimeoutMs: number;
  sleep: Sleep;
}

export async function runApproval(
  deps: ApprovalDeps,
  tradeId: string,
  body: string,
  stop: AbortSignal,
): Promise<ApprovalResult> {
  const deliveryIds: string[] = [];
  for (let attempt = 1; attempt <= APPROVAL_ATTEMPTS; attempt++) {
    const record = deps.log.add("approval", body, tradeId, "initiated");
    deliveryIds.push(record.deliveryId);
    const result = await deps.transport.signed(record, deps.approvalTimeoutMs, stop);
    const answer = verdictOf(record, result, deliveryIds);
    if (answer) return answer;
    record.outcome = "failed";
    if (attempt < APPROVAL_ATTEMPTS) await deps.sleep(backoff(deps.retry, attempt), stop);
  }
  return { verdict: "timeout", deliveryIds };
}

/** The merchant's answer, or undefined when the attempt counts as failed. */
function verdictOf(
  record: DeliveryRecord,
  result: AttemptResult | undefined,
  deliveryIds: string[],
): ApprovalResult | undefined {
  if (result?.kind !== "response") return undefined;
  const { status, text } = result;
  if (status >= 200 && status < 300) {
    const verdict = parseVerdict(text);
    record.outcome = verdict.reject ? "rejected" : "approved";
    const out: ApprovalResult = { verdict: verdict.reject ? "rejected" : "approved", deliveryIds };
    if (verdict.reason !== undefined) out.reason = verdict.reason;
    return out;
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    record.outcome = "rejected";
    return { verdict: "rejected", reason: `HTTP ${status}`, deliveryIds };
  }
  return undefined;
}

function parseVerdict(text: string): { reject: boolean; reason?: string } {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === "object" && (body as { action?: unknown }).action === "reject") {
      const reason = (body as { reason?: unknown }).reason;
      return typeof reason === "string" ? { reject: true, reason } : { reject: true };
    }
  } catch {
    // Any 2xx that is not a JSON reject approves, whatever its body.
  }
  return { reject: false };
}
