/**
 * Work queued per chat: one chat's updates run in the order they came, different chats run side
 * by side. grammY's simple long polling awaits each update before fetching the next, and a webhook
 * must be answered fast, so a slow AssetPay call must not sit in either path: the update handler
 * queues the work here and returns.
 */
import type { Logger } from "pino";

export interface Lanes {
  /** Queues `task` behind the earlier tasks of `key`; errors are logged, never thrown to the caller. */
  run(key: string, task: () => Promise<void>): void;
  /** Runs `work` now, counting it as pending until it ends (an update being handed to its lane). */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves when every queued task and tracked piece of work has finished (graceful shutdown, tests). */
  drain(): Promise<void>;
  /** Tasks queued or running. */
  size(): number;
}

export function createLanes(logger: Logger): Lanes {
  const tails = new Map<string, Promise<void>>();
  let pending = 0;
  let idle: (() => void)[] = [];
  const settle = () => {
    pending--;
    if (pending > 0) return;
    const waiting = idle;
    idle = [];
    for (const resolve of waiting) resolve();
  };

  return {
    run(key, task) {
      pending++;
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous
        .then(task)
        .catch((err: unknown) => logger.error({ err }, "telegram update handling failed"))
        .finally(() => {
          if (tails.get(key) === next) tails.delete(key);
          settle();
        });
      tails.set(key, next);
    },
    async track(work) {
      pending++;
      try {
        return await work();
      } finally {
        settle();
      }
    },
    drain() {
      if (pending === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    size: () => pending,
  };
}
