/**
 * Holds the next call of an object's method until the test lets it go. `stallNextCommit` is the
 * case that matters for money: an app instance stalled between reading a basket and committing its
 * transition, for as long as a test likes — the GC pause, VM freeze or network stall that outlives
 * any lease. The held call (the next one matching `when`) waits at the gate; `reached` resolves
 * once it is waiting there.
 */
import type { App } from "../../src/app.ts";
import type { TradeCommit } from "../../src/core/trade-book.ts";

export interface Stall {
  /** Resolves when the held call has been made and is waiting. */
  reached: Promise<void>;
  /** Lets the held call go on; disarms the hold if no call came. */
  release(): void;
}

type AsyncMethod = (...args: never[]) => Promise<unknown>;

/** Holds the next call of `target[method]` for which `when` holds; other calls pass through. */
export function holdNextCall<T extends object, K extends keyof T>(
  target: T,
  method: K,
  when: (...args: Parameters<Extract<T[K], AsyncMethod>>) => boolean = () => true,
): Stall {
  const original = target[method] as Extract<T[K], AsyncMethod>;
  const call = (args: Parameters<typeof original>) => original.apply(target, args);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const held = async (...args: Parameters<typeof original>) => {
    if (!when(...args)) return call(args);
    target[method] = original;
    arrived();
    await gate;
    return call(args);
  };
  target[method] = held as T[K];
  return {
    reached,
    release: () => {
      target[method] = original;
      open();
    },
  };
}

/** Stalls the app's next commit (matching `when`) to its trade book. */
export function stallNextCommit(app: App, when: (c: TradeCommit) => boolean = () => true): Stall {
  return holdNextCall(app.book, "commit", when);
}
