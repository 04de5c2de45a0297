/**
 * The moderators' audit channel: every money move and moderator action, as it happens, posted
 * to a Discord channel and/or a Telegram chat the community chose. Events are batched — a
 * burst of callbacks becomes one message per flush, within each platform's message size and
 * well under its rate limits — and posted in the order they happened.
 *
 * Best effort by design: the ledger and its journal are the record; this is the moderators'
 * live view of it, so a failed post is logged and dropped rather than retried forever.
 */
import type { Logger } from "pino";
import type { AuditChannel, AuditEvent, AuditSink } from "../core/audit-events.ts";

export interface AuditChannelDeps {
  /** One event as one line, in the community's language, members by name. */
  format(event: AuditEvent): Promise<string>;
  logger: Logger;
  /** How long events gather before a post (default 2 s). */
  flushMs?: number;
}

/** Lines into messages of at most `max` characters, never splitting a line. */
export function batchLines(lines: string[], max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const raw of lines) {
    const line = raw.length > max ? `${raw.slice(0, max - 1)}…` : raw;
    if (current !== "" && current.length + 1 + line.length > max) {
      out.push(current);
      current = "";
    }
    current = current === "" ? line : `${current}\n${line}`;
  }
  if (current !== "") out.push(current);
  return out;
}

export function createAuditChannel(deps: AuditChannelDeps): AuditChannel {
  const sinks: AuditSink[] = [];
  const waiting: AuditEvent[] = [];
  const flushMs = deps.flushMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  // One flush at a time, so batches go out in the order their events happened.
  let flushing: Promise<void> = Promise.resolve();

  const post = async (events: AuditEvent[]) => {
    const lines = await Promise.all(events.map((e) => deps.format(e)));
    for (const sink of sinks) {
      for (const text of batchLines(lines, sink.maxChars)) {
        await sink.post(text).catch((err: unknown) => {
          deps.logger.warn({ err, platform: sink.platform }, "audit channel post failed");
        });
      }
    }
  };

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const events = waiting.splice(0);
    if (events.length === 0) return flushing;
    flushing = flushing
      .then(() => post(events))
      .catch((err: unknown) => {
        deps.logger.warn({ err }, "audit channel batch failed");
      });
    return flushing;
  };

  return {
    record(event) {
      if (sinks.length === 0) return;
      waiting.push(event);
      if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
    },
    listening: () => sinks.length > 0,
    addSink(sink) {
      sinks.push(sink);
    },
    flush,
    async stop() {
      await flush();
    },
  };
}
