/**
 * What the moderators' audit channel carries, as the core sees it: the events (money moves,
 * switches, locks), the channel that takes them, and the sinks (a platform's channel or chat)
 * it posts to. The batching channel itself is `audit/audit-channel.ts`; the wrappers that feed
 * it are beside it.
 */
import type { LedgerEntry } from "./ledger.ts";
import type { SwitchName } from "./switches.ts";

export type AuditEvent =
  | {
      kind: "money";
      entry: LedgerEntry;
      /** Available and held right after the move. */
      after: { availableCents: number; heldCents: number };
    }
  | { kind: "switch"; at: string; actor: string; name: SwitchName; paused: boolean }
  | { kind: "lock"; at: string; actor: string; memberId: string; locked: boolean };

/** Where batches go: a platform's channel or chat. `text` is already localized plain lines. */
export interface AuditSink {
  platform: string;
  /** Characters one message may hold on this platform. */
  maxChars: number;
  post(text: string): Promise<void>;
}

export interface AuditChannel {
  record(event: AuditEvent): void;
  /** Whether any channel is set up: without one, callers need not build events at all. */
  listening(): boolean;
  addSink(sink: AuditSink): void;
  /** Posts whatever is waiting now (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}
