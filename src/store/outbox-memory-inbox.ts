/**
 * Recipients' inboxes in the in-process outbox: undeliverable notices, newest first, capped per
 * recipient (the oldest are dropped, and forgotten with them) as the Redis list is.
 */
import type { InboxNotice } from "./outbox.ts";
import type { NoticeRecord } from "./outbox-memory-lines.ts";

export function createMemoryInboxes(notices: Map<string, NoticeRecord>, keep: number) {
  const inboxes = new Map<string, string[]>();
  return {
    /** Files a given-up notice (its `failure` already set) in its recipient's inbox. */
    put(notice: NoticeRecord): void {
      const inbox = [notice.id, ...(inboxes.get(notice.line) ?? [])];
      for (const dropped of inbox.splice(keep)) notices.delete(dropped);
      inboxes.set(notice.line, inbox);
    },

    list(line: string, limit: number): InboxNotice[] {
      const out: InboxNotice[] = [];
      for (const id of (inboxes.get(line) ?? []).slice(0, limit)) {
        const n = notices.get(id);
        if (!n?.failure) continue;
        out.push({
          id: n.id,
          key: n.key,
          recipient: { ...n.recipient },
          payload: JSON.parse(n.payloadJson),
          reason: n.failure.reason,
          attempts: n.attempts,
          createdAt: n.createdAt,
          failedAt: n.failure.at,
        });
      }
      return out;
    },

    clear(line: string): number {
      const ids = inboxes.get(line) ?? [];
      for (const id of ids) notices.delete(id);
      inboxes.delete(line);
      return ids.length;
    },
  };
}
