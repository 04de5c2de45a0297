/** Around the moderator operations: pauses, resumes, locks and unlocks reach the audit channel. */
import type { Admin } from "../core/admin.ts";
import type { AuditChannel } from "../core/audit-events.ts";

export function auditAdmin(admin: Admin, audit: AuditChannel, now: () => Date = () => new Date()): Admin {
  return {
    ...admin,
    async setPaused(name, paused, actor) {
      const r = await admin.setPaused(name, paused, actor);
      audit.record({ kind: "switch", at: now().toISOString(), actor, name, paused });
      return r;
    },
    async lock(memberId, reason, actor) {
      const r = await admin.lock(memberId, reason, actor);
      audit.record({ kind: "lock", at: now().toISOString(), actor, memberId, locked: true });
      return r;
    },
    async unlock(memberId, actor) {
      const r = await admin.unlock(memberId, actor);
      audit.record({ kind: "lock", at: now().toISOString(), actor, memberId, locked: false });
      return r;
    },
  };
}
