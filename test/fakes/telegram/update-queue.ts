/**
 * Telegram's per-bot update queue: updates wait until confirmed (a later `getUpdates` offset, or a
 * 2xx from the webhook), `allowed_updates` filters what gets queued from then on, and at most one
 * long poll is parked at a time (a newer one evicts it with 409, as when two instances poll).
 */
import { TelegramApiError } from "./api-error.ts";
import type { TgUpdate } from "./types.ts";

/** What Telegram sends when `allowed_updates` was never set or set to `[]`. */
const OFF_BY_DEFAULT = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

interface ParkedPoll {
  limit: number;
  settle: (result: TgUpdate[] | TelegramApiError) => void;
}

export class UpdateQueue {
  private nextUpdateId: number;
  private pending: TgUpdate[] = [];
  private allowed: Set<string> | undefined;
  private readonly listeners = new Set<() => void>();
  private parked: ParkedPoll | undefined;

  constructor(firstUpdateId = 1) {
    this.nextUpdateId = firstUpdateId;
  }

  get size(): number {
    return this.pending.length;
  }

  get allowedUpdates(): string[] | undefined {
    return this.allowed ? [...this.allowed] : undefined;
  }

  /** `undefined` keeps the current filter (Telegram remembers the last one); `[]` restores the default. */
  setAllowed(list: unknown): void {
    if (!Array.isArray(list)) return;
    const types = list.filter((t): t is string => typeof t === "string");
    this.allowed = types.length === 0 ? undefined : new Set(types);
  }

  allows(type: string): boolean {
    return this.allowed ? this.allowed.has(type) : !OFF_BY_DEFAULT.has(type);
  }

  /** Queues an update of `type`, or returns undefined when the bot's `allowed_updates` filters it out. */
  push(type: string, payload: unknown): TgUpdate | undefined {
    if (!this.allows(type)) return undefined;
    const update: TgUpdate = { update_id: this.nextUpdateId++, [type]: payload };
    this.pending.push(update);
    for (const listener of this.listeners) listener();
    return update;
  }

  onPush(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  peek(limit: number): TgUpdate[] {
    return this.pending.slice(0, limit).map((u) => structuredClone(u));
  }

  /** getUpdates' offset: positive confirms everything below it, negative keeps only the last -offset. */
  confirm(offset: number): void {
    if (offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.pending = this.pending.slice(offset);
  }

  remove(updateId: number): void {
    this.pending = this.pending.filter((u) => u.update_id !== updateId);
  }

  dropAll(): void {
    this.pending = [];
  }

  /**
   * One getUpdates call: confirms below `offset`, answers at once if anything is pending or
   * `timeout` is 0, otherwise parks until an update arrives, the timeout passes, the client hangs
   * up, or another poll / setWebhook / close ends it.
   */
  poll(opts: {
    offset: number;
    limit: number;
    timeoutSeconds: number;
    signal: AbortSignal;
  }): Promise<TgUpdate[]> {
    this.confirm(opts.offset);
    const ready = this.peek(opts.limit);
    if (ready.length > 0 || opts.timeoutSeconds <= 0) return Promise.resolve(ready);

    this.terminateParked(
      new TelegramApiError(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      ),
    );
    return new Promise<TgUpdate[]>((resolve, reject) => {
      let batching = false;
      let settled = false;
      const settle = (result: TgUpdate[] | TelegramApiError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        opts.signal.removeEventListener("abort", onAbort);
        if (this.parked === parked) this.parked = undefined;
        if (result instanceof TelegramApiError) reject(result);
        else resolve(result);
      };
      const parked: ParkedPoll = { limit: opts.limit, settle };
      const timer = setTimeout(() => settle([]), opts.timeoutSeconds * 1000);
      // Updates queued in the same tick (a test injecting several at once) leave in one batch.
      const unsubscribe = this.onPush(() => {
        if (batching) return;
        batching = true;
        queueMicrotask(() => settle(this.peek(opts.limit)));
      });
      // The client hung up (grammY aborts the fetch on bot.stop()): nothing is consumed.
      const onAbort = () => settle([]);
      this.parked = parked;
      if (opts.signal.aborted) onAbort();
      else opts.signal.addEventListener("abort", onAbort);
    });
  }

  terminateParked(error: TelegramApiError): void {
    this.parked?.settle(error);
  }

  /** Answers a parked poll with nothing, so a bot can stop at once. */
  releaseParked(): void {
    this.parked?.settle([]);
  }
}
