/**
 * The dashboard's own audit: every sign-in (and refused one) and every export, with who and
 * when. Kept like the community log: a bounded list, newest first.
 */
import { getAs, type KV } from "../kv.ts";

export interface DashboardAuditEvent {
  at: string;
  action: "sign-in" | "sign-in-refused" | "export";
  /** The moderator, when known. */
  memberId?: string;
  /** What was exported, or why a sign-in was refused. */
  detail: string;
}

export interface DashboardAudit {
  append(event: DashboardAuditEvent): Promise<void>;
  recent(limit: number): Promise<DashboardAuditEvent[]>;
}

const KEEP = 1000;

export function createDashboardAudit(kv: KV): DashboardAudit {
  const key = "dashboard-audit";
  return {
    async append(event) {
      const list = (await getAs<DashboardAuditEvent[]>(kv, key)) ?? [];
      list.unshift(event);
      await kv.set(key, list.slice(0, KEEP));
    },
    async recent(limit) {
      return ((await getAs<DashboardAuditEvent[]>(kv, key)) ?? []).slice(0, limit);
    },
  };
}
