/**
 * Moving one sandbox's virtual time: an advance first lets what is running finish, runs every due
 * step, waits for the callbacks they sent, and releases held deliveries nobody will follow.
 */
import { startAutoProgression } from "./clock.ts";
import type { SandboxContext } from "./context.ts";

export interface AdvanceResult {
  now: string;
  ran: number;
}

export interface TimeControl {
  advance(seconds: number): Promise<AdvanceResult>;
  /** Resolves when no callback is in flight and no scheduled step is running. */
  settle(): Promise<void>;
  /** Stops auto-progression, if it runs. */
  stop(): void;
}

export function createTimeControl(ctx: SandboxContext, timeScale: number | undefined): TimeControl {
  const { clock, sender } = ctx;

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 50; i++) {
      await clock.idle();
      await sender.idle();
      if (!clock.busy() && !sender.busy()) return;
    }
  };

  /** A held delivery whose trade has nothing more to say would wait forever: send it now. */
  const releaseOrphans = async (): Promise<void> => {
    const orphans = sender.heldTradeIds().filter((id) => !clock.hasPendingFor(id));
    await Promise.all(orphans.map((id) => sender.releaseHeld(id)));
  };

  const advance = async (seconds: number): Promise<AdvanceResult> => {
    await settle();
    const ran = await clock.advance(seconds);
    await settle();
    await releaseOrphans();
    await settle();
    return { now: clock.iso(), ran };
  };

  const stop = timeScale !== undefined ? startAutoProgression(advance, timeScale) : () => undefined;
  return { advance, settle, stop };
}
