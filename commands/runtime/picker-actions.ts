/** The presses that move through a picker (pages, toggles, a select menu, quantities, refresh, cancel). */
import type { PickerAction } from "../../src/core/trading.ts";
import type { ActionRef } from "../../src/ui/action-id.ts";
import { text, type View } from "../../src/ui/view.ts";
import { pickerReply } from "../picker-reply.ts";
import type { CommandContext } from "../types.ts";

async function act(ctx: CommandContext, ref: ActionRef, action: PickerAction): Promise<View> {
  return pickerReply(ctx, await ctx.core.trading.act(ctx.memberId, ref.session, action));
}

export const pickPage = (ctx: CommandContext, ref: ActionRef) =>
  act(ctx, ref, { kind: "page", page: Number(ref.arg ?? 0) });

export const pickToggle = (ctx: CommandContext, ref: ActionRef) =>
  act(ctx, ref, { kind: "toggle", index: Number(ref.arg) });

/** Discord sends the page's chosen values; Telegram one option per press (its `arg`). */
export async function pickSelect(ctx: CommandContext, ref: ActionRef, values?: string[]): Promise<View> {
  if (values === undefined) return pickToggle(ctx, ref);
  const s = await ctx.core.trading.load(ctx.memberId, ref.session);
  const ids = values.map((v) => s.entries[Number(v)]?.id).filter((id): id is string => id !== undefined);
  return act(ctx, ref, { kind: "select", ids });
}

/** `index:amount`: the stack's place in the list and the quantity the button sets. */
export function pickQuantity(ctx: CommandContext, ref: ActionRef): Promise<View> {
  const [index, amount] = String(ref.arg ?? "")
    .split(":")
    .map(Number);
  return act(ctx, ref, { kind: "quantity", index: index ?? -1, amount: amount ?? 0 });
}

export const pickRefresh = (ctx: CommandContext, ref: ActionRef) => act(ctx, ref, { kind: "refresh" });

export async function pickCancel(ctx: CommandContext, ref: ActionRef): Promise<View> {
  await ctx.core.trading.act(ctx.memberId, ref.session, { kind: "cancel" });
  return {
    tone: "info",
    blocks: [text(ctx.core.i18n.t(ctx.locale, "common.canceled"))],
    buttons: [],
    ephemeral: true,
  };
}
