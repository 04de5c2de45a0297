/**
 * The platform-neutral shape of everything the bot shows a member. The core returns a View; the
 * Discord, Telegram and console adapters each render it their own way (embed and components,
 * HTML and inline keyboard, numbered lines). Nothing here knows a chat library.
 *
 * Text is plain: adapters escape it for their markup, so a skin named `*Hyper Beast*` or `<3`
 * shows as written. Text is already localized: the core fills a View through `I18n.t`.
 */
import type { ActionRef } from "./action-id.ts";

export type { ActionRef } from "./action-id.ts";

export type Tone = "info" | "success" | "warning" | "danger";

/** A run of text with optional emphasis; `href` makes it a link. */
export interface Inline {
  text: string;
  bold?: boolean;
  code?: boolean;
  href?: string;
}

/** A paragraph. */
export interface TextBlock {
  kind: "text";
  spans: Inline[];
}

/** Label/value pairs (balance lines, a member lookup); Discord shows embed fields, others `label: value` lines. */
export interface FieldsBlock {
  kind: "fields";
  fields: { label: string; value: string }[];
}

/** One row of an item list (a picker page, a receipt). */
export interface ItemRow {
  /** Stable within the list; not shown. */
  id: string;
  /** The item's name. */
  label: string;
  /** Wear, phase, amount: already joined into one localized line. */
  detail?: string;
  /** Already formatted money. */
  price?: string;
  /** Why it can't be picked ("not tradable yet"), or a status. */
  state?: string;
  selected?: boolean;
  disabled?: boolean;
}

export interface ItemsBlock {
  kind: "items";
  items: ItemRow[];
}

export type Block = TextBlock | FieldsBlock | ItemsBlock;

export type ButtonStyle = "primary" | "secondary" | "success" | "danger";

/** A button that comes back to the bot as an action. */
export interface ActionButton {
  action: ActionRef;
  label: string;
  style?: ButtonStyle;
  disabled?: boolean;
}

/** A button that opens a URL (a Steam trade offer); it never comes back to the bot. */
export interface LinkButton {
  url: string;
  label: string;
}

export type Button = ActionButton | LinkButton;

export interface SelectOption {
  /** Comes back in the action's `arg` on Telegram (one press per option) and in `values` on Discord. */
  value: string;
  label: string;
  description?: string;
  selected?: boolean;
}

/**
 * A choice among options: a select menu on Discord, a column of toggle buttons on Telegram.
 * `min`/`max` bound how many may be chosen at once.
 */
export interface Select {
  action: ActionRef;
  placeholder: string;
  options: SelectOption[];
  min: number;
  max: number;
}

export interface View {
  tone: Tone;
  title?: string;
  blocks: Block[];
  select?: Select;
  /** Rows of buttons, top to bottom. */
  buttons: Button[][];
  /** Only the member sees it (Discord ephemeral reply); Telegram answers in the private chat anyway. */
  ephemeral?: boolean;
  footer?: string;
  /**
   * For a paged picker: how many items the whole list holds. The console numbers each item by
   * its place in the whole list (the select's option values) and its buttons after them, so a
   * number means the same thing on every page.
   */
  listSize?: number;
}

export function isLinkButton(button: Button): button is LinkButton {
  return "url" in button;
}

/** A paragraph from plain strings and spans. */
export function text(...parts: (string | Inline)[]): TextBlock {
  return { kind: "text", spans: parts.map((p) => (typeof p === "string" ? { text: p } : p)) };
}

export function fields(...pairs: { label: string; value: string }[]): FieldsBlock {
  return { kind: "fields", fields: pairs };
}

export function items(rows: ItemRow[]): ItemsBlock {
  return { kind: "items", items: rows };
}

/** A one-paragraph view: the common shape of a confirmation or a refusal. */
export function message(tone: Tone, body: string, extra: Partial<Omit<View, "tone">> = {}): View {
  return { tone, blocks: [text(body)], buttons: [], ...extra };
}
