/**
 * The question a command asks when an option is missing (its definition's `ask`: /link without
 * a trade URL, /withdraw without a skin), as a Discord modal. A modal can only be the first answer to an interaction, so
 * the question is decided from the interaction alone, before anything is stored or fetched; the
 * submit runs the same command again with the answer, and the modal's custom_id carries the
 * options that were given (`1:ask:<command>[:<options>]`).
 */
import { LabelBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from "discord.js";
import type { Args, CommandDefinition } from "../../../commands/types.ts";
import { decodeAction, encodeAction } from "../../ui/action-id.ts";
import type { I18n, Locale } from "../../ui/i18n.ts";

export const ASK_ACTION = "ask";

/** The option `def` would ask for, when the member left it out. */
export function missingQuestion(def: CommandDefinition, args: Args): string | undefined {
  const q = def.ask;
  if (!q) return undefined;
  const given = args[q.option];
  return given === undefined || String(given).trim() === "" ? q.option : undefined;
}

function encodeArgs(args: Args): string | undefined {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(args)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s === "" ? undefined : s;
}

export function askModal(
  i18n: I18n,
  locale: Locale,
  def: CommandDefinition,
  args: Args,
): ModalBuilder | undefined {
  const q = def.ask;
  const option = def.options.find((o) => o.name === q?.option);
  if (!q || !option) return undefined;
  const others = Object.fromEntries(Object.entries(args).filter(([k]) => k !== q.option));
  const arg = encodeArgs(others);
  const input = new TextInputBuilder()
    .setCustomId(q.option)
    .setStyle(TextInputStyle.Short)
    .setRequired(true)
    .setMinLength(1)
    .setMaxLength(Math.min(option.maxLength ?? 4000, 4000));
  if (q.placeholder !== undefined) input.setPlaceholder(q.placeholder.slice(0, 100));
  const label = new LabelBuilder()
    .setLabel(i18n.t(locale, q.labelKey).slice(0, 45))
    .setDescription(i18n.t(locale, option.descriptionKey).slice(0, 100))
    .setTextInputComponent(input);
  return new ModalBuilder()
    .setCustomId(encodeAction({ action: ASK_ACTION, session: def.name, ...(arg ? { arg } : {}) }))
    .setTitle(i18n.t(locale, q.titleKey).slice(0, 45))
    .addLabelComponents(label);
}

/** A submitted modal back to the command and its arguments; null for a modal we didn't build. */
export function parseAskSubmit(
  customId: string,
  answer: (field: string) => string | null,
  commands: readonly CommandDefinition[],
): { command: string; args: Args } | null {
  const ref = decodeAction(customId);
  if (!ref || ref.action !== ASK_ACTION) return null;
  const q = commands.find((c) => c.name === ref.session)?.ask;
  if (!q) return null;
  const args: Args = Object.fromEntries(new URLSearchParams(ref.arg ?? ""));
  const value = answer(q.option);
  if (value !== null) args[q.option] = value;
  return { command: ref.session, args };
}
