/**
 * The action dispatch: a press on a button or select the core rendered goes to the handler its
 * action names. Each handler lives with the idea it belongs to (the picker, a command's own
 * buttons); this table only says which is which.
 */
import { CoreError } from "../../src/core/errors.ts";
import { ACTIONS, type ActionRef } from "../../src/ui/action-id.ts";
import type { View } from "../../src/ui/view.ts";
import { auditPageAction } from "../admin/audit.ts";
import { chooseLanguage } from "../language.ts";
import { confirmSignIn } from "../link.ts";
import { pickerReply } from "../picker-reply.ts";
import { cancelFromTrades } from "../trades.ts";
import type { CommandContext, CommandCore } from "../types.ts";
import { openWithdrawFromSearch } from "../withdraw.ts";
import { confirmPicker } from "./confirm.ts";
import { contextFor, type Invocation } from "./context.ts";
import { failureView } from "./failures.ts";
import { pickCancel, pickPage, pickQuantity, pickRefresh, pickSelect, pickToggle } from "./picker-actions.ts";

type ActionHandler = (ctx: CommandContext, ref: ActionRef, values?: string[]) => Promise<View>;

const HANDLERS: Partial<Record<string, ActionHandler>> = {
  [ACTIONS.pickPage]: pickPage,
  [ACTIONS.pickToggle]: pickToggle,
  [ACTIONS.pickSelect]: pickSelect,
  [ACTIONS.pickQuantity]: pickQuantity,
  [ACTIONS.pickRefresh]: pickRefresh,
  [ACTIONS.pickCancel]: pickCancel,
  [ACTIONS.pickConfirm]: async (ctx, ref) => (await confirmPicker(ctx, ref)).view,
  [ACTIONS.tradesCancel]: cancelFromTrades,
  [ACTIONS.auditPage]: auditPageAction,
  [ACTIONS.withdrawItem]: async (ctx, ref) =>
    pickerReply(ctx, await openWithdrawFromSearch(ctx, ref.session, Number(ref.arg))),
  [ACTIONS.language]: chooseLanguage,
  [ACTIONS.signedIn]: (ctx, ref) => confirmSignIn(ctx, ref.session),
};

/**
 * What a press produced: the next state of the message pressed, or a refusal (expired, someone
 * else's, already confirmed) that an adapter shows apart from it, so a second click never
 * overwrites the receipt of the first and a refusal never replaces another member's picker.
 */
export interface ActionAnswer {
  view: View;
  refused: boolean;
  /** A confirm that started a trade: its id, for the adapter to remember the receipt card by. */
  tradeId?: string;
}

/** A press on a button or select the core rendered. `values` are a Discord select's choices. */
export async function handleAction(
  core: CommandCore,
  inv: Invocation,
  ref: ActionRef,
  values?: string[],
): Promise<View> {
  return (await answerAction(core, inv, ref, values)).view;
}

/** Like `handleAction`, and says whether the answer is a refusal. */
export async function answerAction(
  core: CommandCore,
  inv: Invocation,
  ref: ActionRef,
  values?: string[],
): Promise<ActionAnswer> {
  const ctx = await contextFor(core, inv);
  try {
    if (ref.action === ACTIONS.pickConfirm) return { ...(await confirmPicker(ctx, ref)), refused: false };
    const handler = HANDLERS[ref.action];
    // An action this version no longer knows is a button from an old message.
    if (!handler) throw new CoreError("pickerExpired");
    return { view: await handler(ctx, ref, values), refused: false };
  } catch (err) {
    return { view: failureView(ctx, err), refused: true };
  }
}
