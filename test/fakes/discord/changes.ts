import { EventEmitter } from "node:events";

export type ChangeFeed = ReturnType<typeof createChangeFeed>;

/**
 * Lets tests wait for the fake's state to satisfy a predicate, re-checked on every change (request, gateway
 * frame, acknowledgement) instead of on a polling timer.
 */
export function createChangeFeed() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let closed = false;

  return {
    notify(): void {
      emitter.emit("change");
    },

    waitFor<T>(
      predicate: () => T | false | null | undefined,
      timeoutMs: number,
      describe: () => string,
    ): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const evaluate = (): boolean => {
          try {
            const value = predicate();
            if (value !== false && value !== null && value !== undefined) {
              finish();
              resolve(value);
              return true;
            }
          } catch (error) {
            finish();
            reject(error);
            return true;
          }
          return false;
        };
        const onChange = () => void evaluate();
        const onClose = () => {
          finish();
          reject(new Error("fake Discord closed while waiting"));
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`waitFor timed out after ${timeoutMs} ms; ${describe()}`));
        }, timeoutMs);
        function finish() {
          clearTimeout(timer);
          emitter.off("change", onChange);
          emitter.off("close", onClose);
        }
        if (closed) {
          onClose();
          return;
        }
        emitter.on("change", onChange);
        emitter.on("close", onClose);
        evaluate();
      });
    },

    close(): void {
      closed = true;
      emitter.emit("close");
    },
  };
}
