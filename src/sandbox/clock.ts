/**
 * The sandbox's virtual clock and scheduler. Trade lifecycles (a 7-day Steam hold, the 30-minute
 * cancel window, auto-cancel) are scheduled in virtual time, so a test moves a trade from `hold`
 * to `completed` by advancing the clock instead of waiting. Tasks run one at a time, in time
 * order (ties in scheduling order), and a task scheduled by a running task still runs within the
 * same advance if it falls due before its end.
 */

export interface ClockTaskInfo {
  id: number;
  at: number;
  label: string;
  tradeId?: string;
}

interface ClockTask extends ClockTaskInfo {
  seq: number;
  run: () => void | Promise<void>;
}

export interface ClockLogger {
  error(obj: object, msg?: string): void;
}

export interface VirtualClock {
  nowMs(): number;
  now(): Date;
  iso(offsetMs?: number): string;
  /** Runs `run` when the virtual clock reaches `atMs` (at once on the next run if already due). */
  schedule(atMs: number, label: string, run: () => void | Promise<void>, tradeId?: string): number;
  /** Like schedule, `seconds` of virtual time from now. */
  after(seconds: number, label: string, run: () => void | Promise<void>, tradeId?: string): number;
  cancel(id: number): void;
  cancelTrade(tradeId: string): void;
  pending(): ClockTaskInfo[];
  hasPendingFor(tradeId: string): boolean;
  /** Moves virtual time forward by `seconds`, running every task that falls due, in order. */
  advance(seconds: number): Promise<number>;
  /** Runs the tasks already due without moving time. */
  runDue(): Promise<number>;
  /** Starts runDue in the background (after an API call scheduled something due now). */
  kick(): void;
  /** Resolves once no advance or runDue is running or queued. */
  idle(): Promise<void>;
  /** True while an advance or runDue is running or queued. */
  busy(): boolean;
  reset(startMs: number): void;
}

/** The scheduled tasks: added, cancelled, and taken in time order (ties in scheduling order). */
function createTaskList() {
  let nextId = 1;
  let seq = 0;
  let tasks: ClockTask[] = [];
  return {
    add(at: number, label: string, run: ClockTask["run"], tradeId?: string): number {
      const id = nextId++;
      const task: ClockTask = { id, at, label, run, seq: seq++ };
      if (tradeId !== undefined) task.tradeId = tradeId;
      tasks.push(task);
      return id;
    },
    drop(keep: (task: ClockTask) => boolean): void {
      tasks = tasks.filter(keep);
    },
    /** Removes and returns the earliest task due by `limit`. */
    takeNextDue(limit: number): ClockTask | undefined {
      let best: ClockTask | undefined;
      for (const t of tasks) {
        if (t.at > limit) continue;
        if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
      }
      if (best) tasks = tasks.filter((t) => t !== best);
      return best;
    },
    pending: (): ClockTaskInfo[] =>
      [...tasks]
        .sort((x, y) => x.at - y.at || x.seq - y.seq)
        .map(({ id, at, label, tradeId }) =>
          tradeId === undefined ? { id, at, label } : { id, at, label, tradeId },
        ),
    hasPendingFor: (tradeId: string) => tasks.some((t) => t.tradeId === tradeId),
    clear(): void {
      tasks = [];
    },
  };
}

/** Runs jobs one at a time, in call order: advance and runDue never interleave their tasks. */
function createExclusive() {
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      queued++;
      const result = tail.then(fn, fn).finally(() => {
        queued--;
      });
      tail = result.catch(() => undefined);
      return result;
    },
    /** Resolves once no job is running or queued (including jobs queued meanwhile). */
    async idle(): Promise<void> {
      let seen: Promise<unknown>;
      do {
        seen = tail;
        await seen;
      } while (seen !== tail);
    },
    busy: () => queued > 0,
  };
}

export function createVirtualClock(startMs: number, logger?: ClockLogger): VirtualClock {
  let now = startMs;
  const tasks = createTaskList();
  const exclusive = createExclusive();
  // Bumped by reset: a run in progress stops before its next task.
  let generation = 0;

  const runUntil = async (limit: number): Promise<number> => {
    const gen = generation;
    let ran = 0;
    for (;;) {
      if (gen !== generation) return ran;
      const task = tasks.takeNextDue(limit);
      if (!task) break;
      if (task.at > now) now = task.at;
      try {
        await task.run();
      } catch (err) {
        logger?.error({ err, task: task.label, tradeId: task.tradeId }, "sandbox clock task failed");
      }
      ran++;
    }
    return ran;
  };

  const clock: VirtualClock = {
    nowMs: () => now,
    now: () => new Date(now),
    iso: (offsetMs = 0) => new Date(now + offsetMs).toISOString(),
    schedule: (atMs, label, run, tradeId) => tasks.add(atMs, label, run, tradeId),
    after(seconds, label, run, tradeId) {
      return clock.schedule(now + Math.round(seconds * 1000), label, run, tradeId);
    },
    cancel: (id) => tasks.drop((t) => t.id !== id),
    cancelTrade: (tradeId) => tasks.drop((t) => t.tradeId !== tradeId),
    pending: () => tasks.pending(),
    hasPendingFor: (tradeId) => tasks.hasPendingFor(tradeId),
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) {
        return Promise.reject(new RangeError("advance takes a non-negative number of seconds"));
      }
      return exclusive.run(async () => {
        const target = now + Math.round(seconds * 1000);
        const ran = await runUntil(target);
        if (target > now) now = target;
        return ran;
      });
    },
    runDue() {
      return exclusive.run(() => runUntil(now));
    },
    kick() {
      void clock.runDue();
    },
    idle: () => exclusive.idle(),
    busy: () => exclusive.busy(),
    reset(startMs) {
      generation++;
      tasks.clear();
      now = startMs;
    },
  };
  return clock;
}

/**
 * Auto-progression: a real timer that moves the virtual clock `timeScale` times faster than
 * wall-clock time. A tick that is still running (waiting for callbacks) makes the next one skip,
 * and the skipped time is caught up on the following tick so virtual time does not drift.
 */
export function startAutoProgression(
  advance: (seconds: number) => Promise<unknown>,
  timeScale: number,
  tickMs = 100,
): () => void {
  if (!(timeScale > 0)) throw new RangeError("timeScale must be positive");
  let last = performance.now();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    const real = performance.now();
    const seconds = ((real - last) / 1000) * timeScale;
    last = real;
    busy = true;
    advance(seconds)
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
