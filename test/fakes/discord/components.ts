import type { APIMessage } from "discord.js";
import { isRecord } from "./discord-errors.ts";
import { ComponentKind } from "./validate-components.ts";

export type RawComponent = Record<string, unknown>;

function collect(node: unknown, out: RawComponent[]): void {
  if (!isRecord(node)) return;
  if (node.type === ComponentKind.ActionRow || node.type === ComponentKind.Container) {
    if (Array.isArray(node.components)) for (const child of node.components) collect(child, out);
    return;
  }
  if (node.type === ComponentKind.Section) {
    collect(node.accessory, out);
    return;
  }
  if (typeof node.custom_id === "string" || node.type === ComponentKind.Button) out.push(node);
}

/** Every button and select on a message, in display order (rows, sections and containers flattened). */
export function interactiveComponents(message: Pick<APIMessage, "components"> | undefined): RawComponent[] {
  const out: RawComponent[] = [];
  for (const top of message?.components ?? []) collect(top, out);
  return out;
}

export function findComponent(message: Pick<APIMessage, "components"> | undefined, customId: string) {
  return interactiveComponents(message).find((c) => c.custom_id === customId);
}

/** The labels of a message's buttons, handy for asserting what a member is offered. */
export function buttonLabels(message: Pick<APIMessage, "components"> | undefined): string[] {
  return interactiveComponents(message)
    .filter((c) => c.type === ComponentKind.Button)
    .map((c) => (typeof c.label === "string" ? c.label : ""));
}
