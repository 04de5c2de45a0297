/**
 * What both trade books agree on before touching storage: a transition's moves planned by the
 * ledger's own planner (validation, deltas, journal entry), and the one refusal rule applied to
 * the moves in order, so the Lua script and the memory critical section cannot drift.
 */
import type { Balance } from "../core/ledger.ts";
import type { MovePlan } from "../core/trade-book.ts";
import { type PlannedMove, planMove, refuses } from "./ledger-plan.ts";

export function planMoves(moves: MovePlan[], at: string): PlannedMove[] {
  return moves.map((m) => planMove(m.op, m.input, at));
}

/** True when applying the not-yet-applied moves in order would break the refusal rule. */
export function refusesAny(
  balance: Balance,
  moves: PlannedMove[],
  isApplied: (key: string) => boolean,
): boolean {
  let running = { ...balance };
  for (const move of moves) {
    if (isApplied(move.key)) continue;
    if (refuses(running, move)) return true;
    running = {
      availableCents: running.availableCents + move.availableDeltaCents,
      heldCents: running.heldCents + move.heldDeltaCents,
    };
  }
  return false;
}
