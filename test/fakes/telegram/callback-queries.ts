/**
 * Callback queries awaiting their answer. Telegram shows the member a spinner until the bot calls
 * answerCallbackQuery, and past the deadline the answer is refused; answering twice is refused
 * too. A query nobody answers in time is itself recorded as a violation.
 */
import { randomBytes } from "node:crypto";
import { badRequest } from "./api-error.ts";

export interface CallbackAnswer {
  /** performance.now() when answerCallbackQuery arrived. */
  at: number;
  params: Record<string, unknown>;
  /** False when Telegram refused the answer (it came after the deadline). */
  accepted: boolean;
}

interface Pending {
  injectedAt: number;
  answered: boolean;
  resolve: (answer: CallbackAnswer) => void;
  timer: NodeJS.Timeout;
}

const TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

export class CallbackQueries {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly deadlineMs: number,
    private readonly onUnanswered: (id: string) => void,
  ) {}

  create(injectedAt: number): { id: string; answered: Promise<CallbackAnswer> } {
    const id = BigInt(`0x${randomBytes(8).toString("hex")}`).toString();
    let resolve!: (answer: CallbackAnswer) => void;
    const answered = new Promise<CallbackAnswer>((r) => {
      resolve = r;
    });
    const timer = setTimeout(() => {
      const entry = this.pending.get(id);
      if (entry && !entry.answered) this.onUnanswered(id);
    }, this.deadlineMs);
    timer.unref();
    this.pending.set(id, { injectedAt, answered: false, resolve, timer });
    return { id, answered };
  }

  answer(id: unknown, params: Record<string, unknown>, now: number): void {
    const entry = typeof id === "string" || typeof id === "number" ? this.pending.get(String(id)) : undefined;
    if (!entry) throw badRequest(TOO_OLD, "callback_answer_invalid");
    if (entry.answered) throw badRequest(TOO_OLD, "callback_answered_twice");
    entry.answered = true;
    clearTimeout(entry.timer);
    const late = now - entry.injectedAt > this.deadlineMs;
    entry.resolve({ at: now, params, accepted: !late });
    if (late) throw badRequest(TOO_OLD, "callback_answer_late");
  }

  close(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
  }
}
