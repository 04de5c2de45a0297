/**
 * What a member does with an open picker: page, select, refresh and cancel it, then confirm it
 * into a trade. A session moves `open → confirming → done` (or `cancelled`); only an open one
 * can be acted on or confirmed.
 *
 * Confirming is guarded twice: a lease lock on the session makes a double click start one trade
 * quickly, and the session's state is what refuses a late second press — correctness never rests
 * on the lock's timing.
 */
import { isAssetPayError } from "../../assetpay/errors.ts";
import { CoreError } from "../errors.ts";
import type { MemberId } from "../ledger.ts";
import type { Locks } from "../locks.ts";
import {
  goToPage,
  type PickerEntry,
  type PickerSession,
  type Pickers,
  refreshEntries,
  selectedEntries,
  selectOnPage,
  setQuantity,
  toggle,
} from "../picker.ts";
import type { StartedTrade } from "./start-trade.ts";

export type PickerAction =
  | { kind: "page"; page: number }
  | { kind: "toggle"; index: number }
  | { kind: "quantity"; index: number; amount: number }
  | { kind: "select"; ids: string[] }
  | { kind: "refresh" }
  | { kind: "cancel" };

export interface PickerFlowDeps {
  pickers: Pickers;
  locks: Locks;
  /** Fresh quotes for the session's source (inventory, listings, or a self-trade's). */
  quotes(s: PickerSession): Promise<PickerEntry[]>;
  /** Starts the trade for the chosen (non-empty) entries. */
  start(
    s: PickerSession,
    memberId: MemberId,
    chosen: PickerEntry[],
    startedBy?: MemberId,
  ): Promise<StartedTrade>;
}

/** How long a confirm may hold its session's lock: longer than AssetPay's slowest trade POST. */
const CONFIRM_LEASE_MS = 150_000;

function requireOpen(s: PickerSession): void {
  if (s.state === "done" || s.state === "confirming") throw new CoreError("alreadyConfirmed");
  if (s.state === "cancelled") throw new CoreError("pickerExpired");
}

export function createPickerFlow(deps: PickerFlowDeps) {
  const { pickers, locks } = deps;

  const refreshQuotes = async (s: PickerSession) => refreshEntries(s, await deps.quotes(s));

  const apply = async (s: PickerSession, action: PickerAction) => {
    switch (action.kind) {
      case "page":
        return goToPage(s, action.page);
      case "toggle":
        return toggle(s, action.index);
      case "quantity":
        return setQuantity(s, action.index, action.amount);
      case "select":
        return selectOnPage(s, action.ids);
      case "refresh":
        return refreshQuotes(s);
      case "cancel":
        s.state = "cancelled";
        return;
    }
  };

  /** Marks the session confirming, starts the trade, and leaves it done or open again. */
  const confirmLoaded = async (s: PickerSession, memberId: MemberId, startedBy?: MemberId) => {
    requireOpen(s);
    s.state = "confirming";
    delete s.notice;
    await pickers.save(s);
    try {
      const chosen = selectedEntries(s);
      if (chosen.length === 0) throw new CoreError("nothingSelected");
      const result = await deps.start(s, memberId, chosen, startedBy);
      s.state = "done";
      await pickers.save(s);
      return result;
    } catch (err) {
      s.state = "open";
      // PRICE_CHANGED: fresh quotes, same selection where still offered; the member confirms again.
      if (isAssetPayError(err) && err.key === "PRICE_CHANGED") await refreshQuotes(s);
      await pickers.save(s);
      throw err;
    }
  };

  return {
    async act(memberId: MemberId, sessionId: string, action: PickerAction): Promise<PickerSession> {
      const s = await pickers.load(sessionId, memberId);
      requireOpen(s);
      delete s.notice;
      await apply(s, action);
      await pickers.save(s);
      return s;
    },

    async confirm(memberId: MemberId, sessionId: string, startedBy?: MemberId): Promise<StartedTrade> {
      const release = await locks.tryAcquire(`confirm:${sessionId}`, CONFIRM_LEASE_MS);
      if (!release) throw new CoreError("tradeInProgress");
      try {
        return await confirmLoaded(await pickers.load(sessionId, memberId), memberId, startedBy);
      } finally {
        await release();
      }
    },
  };
}
