/**
 * Stalls an app instance between reading a basket and committing its transition, for as long
 * as a test likes: the GC pause, VM freeze or network stall that outlives any lease. The next
 * commit (matching `when`) waits at the gate; `reached` resolves once it is waiting there.
 */
import type { App } from "../../src/app.ts";
import type { TradeCommit } from "../../src/core/trade-book.ts";

export interface Stall {
  /** Resolves when the stalled instance has read its state and is about to commit. */
  reached: Promise<void>;
  /** Lets the stalled commit go on; disarms the stall if no commit came. */
  release(): void;
}

export function stallNextCommit(app: App, when: (c: TradeCommit) => boolean = () => true): Stall {
  const book = app.book;
  const commit = book.commit;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  book.commit = async (c) => {
    if (!when(c)) return commit(c);
    book.commit = commit;
    arrived();
    await gate;
    return commit(c);
  };
  return {
    reached,
    release: () => {
      book.commit = commit;
      open();
    },
  };
}
