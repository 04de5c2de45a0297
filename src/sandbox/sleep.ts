/** How the sandbox waits out real-time pauses; tests inject one they control. */
import { setTimeout as wait } from "node:timers/promises";

/** Waits real milliseconds (offer creation, delivery delays, retry backoff); abortable. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => wait(ms, undefined, signal ? { signal } : undefined);
