/**
 * What the sender remembers of each delivery (callbacks, approvals, pings) and its attempts: the
 * log tests and `/_sandbox/deliveries` read. The newest records are kept, the oldest dropped.
 */
import { randomUUID } from "node:crypto";

export interface AttemptRecord {
  at: string;
  durationMs: number;
  status?: number;
  error?: string;
  signature: "valid" | "corrupted" | "none";
  duplicate?: true;
}

export type DeliveryOutcome =
  | "queued"
  | "delivered"
  | "failed"
  | "dropped"
  | "held"
  | "skipped"
  | "approved"
  | "rejected";

export interface DeliveryRecord {
  deliveryId: string;
  kind: "event" | "approval" | "ping";
  tradeId?: string;
  /** The trade status this delivery announces. */
  tradeStatus?: string;
  url?: string;
  body: string;
  createdAt: string;
  attempts: AttemptRecord[];
  outcome: DeliveryOutcome;
  faults: string[];
}

export type ApprovalVerdict = "approved" | "rejected" | "timeout";

export interface ApprovalResult {
  verdict: ApprovalVerdict;
  reason?: string;
  deliveryIds: string[];
}

export interface PingResult {
  ok: boolean;
  status?: number;
  error?: string;
}

const MAX_RECORDS = 5_000;

export interface DeliveryLog {
  /** A new record (fresh delivery id, no attempts yet), already in the log. */
  add(kind: DeliveryRecord["kind"], body: string, tradeId?: string, status?: string): DeliveryRecord;
  /** Copies of every record, oldest first. */
  list(): DeliveryRecord[];
  clear(): void;
}

export function createDeliveryLog(): DeliveryLog {
  let records: DeliveryRecord[] = [];
  return {
    add(kind, body, tradeId, status) {
      const record: DeliveryRecord = {
        deliveryId: randomUUID(),
        kind,
        body,
        createdAt: new Date().toISOString(),
        attempts: [],
        outcome: "queued",
        faults: [],
      };
      if (tradeId !== undefined) record.tradeId = tradeId;
      if (status !== undefined) record.tradeStatus = status;
      records.push(record);
      if (records.length > MAX_RECORDS) records = records.slice(-MAX_RECORDS);
      return record;
    },
    list: () =>
      records.map((r) => ({ ...r, attempts: r.attempts.map((a) => ({ ...a })), faults: [...r.faults] })),
    clear() {
      records = [];
    },
  };
}
