/**
 * A View as a Telegram message: HTML text (every dynamic value escaped, since item names and
 * reasons come from members and AssetPay) and an inline keyboard. Telegram has no select menu and
 * no disabled button, so a select becomes a column of ✅ toggles and a disabled button is left
 * out. Messages stay within Telegram's 4096 characters and 100 buttons: item lines are dropped
 * from the end first, because the keyboard and the totals are what a member acts on.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { ActionIdError, encodeAction } from "../../ui/action-id.ts";
import { viewToPlainText } from "../../ui/plain-text.ts";
import { type Block, type Inline, isLinkButton, type Tone, type View } from "../../ui/view.ts";

export const TELEGRAM_LIMITS = {
  /** Characters of a message after entity parsing. */
  textChars: 4096,
  /** Buttons in one inline keyboard. */
  buttons: 100,
  /** Telegram cuts longer labels on screen anyway; keeping them short keeps requests small. */
  buttonLabelChars: 64,
} as const;

export interface TelegramMessage {
  /** For `parse_mode: "HTML"`. */
  html: string;
  /** Absent when the view has no usable button: an edit without markup removes the old keyboard. */
  replyMarkup?: InlineKeyboardMarkup;
  /** The callback_data of every button, so a tap on a button the message no longer shows is recognised. */
  callbackData: string[];
}

export interface RenderOptions {
  /** Characters allowed; Telegram's limit unless told otherwise. */
  maxChars?: number;
  /** Told about a button left out because its id would not fit (a bug in the view, never the member's). */
  onDroppedButton?: (label: string, reason: string) => void;
}

const TONE_ICONS: Record<Tone, string> = { info: "", success: "✅ ", warning: "⚠️ ", danger: "❗ " };
const SELECTED = "✅";
const UNSELECTED = "▫️";
/** A list nobody picks from (a receipt) shows plain bullets, not empty checkboxes. */
const BULLET = "•";

/** Escapes text for Telegram's HTML parse mode, which requires `&`, `<` and `>` as entities. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(s: string): string {
  return escapeHtml(s).replace(/"/g, "&quot;");
}

/** Telegram counts UTF-16 code units; counting them is never short of its count. */
const length = (s: string) => s.length;

interface Line {
  html: string;
  /** Length of the text Telegram shows for this line. */
  plain: number;
  /** An item row, which may be dropped to make the message fit. */
  item?: boolean;
}

function inlineHtml(span: Inline): { html: string; plain: number } {
  let html = escapeHtml(span.text);
  if (span.code) html = `<code>${html}</code>`;
  if (span.bold) html = `<b>${html}</b>`;
  if (span.href !== undefined && /^(https?|tg):\/\//i.test(span.href)) {
    html = `<a href="${escapeAttribute(span.href)}">${html}</a>`;
  }
  return { html, plain: length(span.text) };
}

function blockLines(block: Block, numbers: ReadonlyMap<string, number>, picking: boolean): Line[] {
  switch (block.kind) {
    case "text": {
      // A paragraph may hold line breaks; it stays one unit.
      const parts = block.spans.map(inlineHtml);
      return [{ html: parts.map((p) => p.html).join(""), plain: parts.reduce((n, p) => n + p.plain, 0) }];
    }
    case "fields":
      return block.fields.map((f) =>
        f.value === ""
          ? { html: `<b>${escapeHtml(f.label)}</b>`, plain: length(f.label) }
          : {
              html: `<b>${escapeHtml(f.label)}</b>: ${escapeHtml(f.value)}`,
              plain: length(f.label) + 2 + length(f.value),
            },
      );
    case "items":
      return block.items.map((row) => {
        const n = numbers.get(row.id);
        const mark = row.selected ? SELECTED : picking ? UNSELECTED : BULLET;
        const head = `${mark} ${n !== undefined ? `${n}. ` : ""}`;
        let plain = `${head}${row.label}`;
        let html = `${head}${escapeHtml(row.label)}`;
        if (row.detail) {
          plain += ` · ${row.detail}`;
          html += ` · ${escapeHtml(row.detail)}`;
        }
        if (row.price) {
          plain += ` — ${row.price}`;
          html += ` — <b>${escapeHtml(row.price)}</b>`;
        }
        if (row.state) {
          plain += ` (${row.state})`;
          html += ` (<i>${escapeHtml(row.state)}</i>)`;
        }
        return { html, plain: length(plain), item: true };
      });
  }
}

/**
 * Toggle buttons name their item by the same number as its line: two copies of one skin differ
 * only in wear and price, which the line shows and a button label has no room for.
 */
function itemNumbers(view: View): Map<string, number> {
  const numbers = new Map<string, number>();
  const options = new Set(view.select?.options.map((o) => o.value));
  if (options.size === 0) return numbers;
  for (const block of view.blocks) {
    if (block.kind !== "items") continue;
    block.items.forEach((row, i) => {
      if (options.has(row.id)) numbers.set(row.id, i + 1);
    });
  }
  return numbers;
}

function textOf(view: View, numbers: ReadonlyMap<string, number>): Line[][] {
  const icon = TONE_ICONS[view.tone];
  const sections: Line[][] = [];
  if (view.title !== undefined) {
    sections.push([{ html: `<b>${icon}${escapeHtml(view.title)}</b>`, plain: length(icon + view.title) }]);
  }
  for (const block of view.blocks) {
    const lines = blockLines(block, numbers, view.select !== undefined);
    if (lines.length > 0) sections.push(lines);
  }
  if (view.title === undefined && icon !== "") {
    const first = sections[0]?.[0];
    if (first) {
      first.html = icon + first.html;
      first.plain += length(icon);
    } else sections.push([{ html: icon.trim(), plain: length(icon.trim()) }]);
  }
  if (view.footer !== undefined && view.footer !== "") {
    sections.push([{ html: `<i>${escapeHtml(view.footer)}</i>`, plain: length(view.footer) }]);
  }
  return sections;
}

function measure(sections: Line[][]): number {
  let n = 0;
  for (const s of sections) for (const l of s) n += l.plain + 1;
  // One "\n" between lines, "\n\n" between sections, none after the last.
  return Math.max(0, n - 1 + Math.max(0, sections.length - 1));
}

function join(sections: Line[][]): string {
  return sections.map((s) => s.map((l) => l.html).join("\n")).join("\n\n");
}

/** Drops item lines from the end, leaving one "… (+N)" line in their place, until the text fits. */
function fitItems(sections: Line[][], maxChars: number): Line[][] | undefined {
  const over = measure(sections) - maxChars;
  if (over <= 0) return sections;
  const items = sections.flatMap((s) => s.filter((l) => l.item));
  let dropped = 0;
  let saved = 0;
  let marker = "";
  // Each dropped line saves its text and its line break; the marker line costs the same of its own.
  while (saved - (length(marker) + 1) < over) {
    const line = items[items.length - 1 - dropped];
    if (!line) return undefined;
    saved += line.plain + 1;
    dropped++;
    marker = `… (+${dropped})`;
  }
  const gone = new Set(items.slice(items.length - dropped));
  let placed = false;
  const kept = sections
    .map((s) =>
      s.flatMap((l): Line[] => {
        if (!gone.has(l)) return [l];
        if (placed) return [];
        placed = true;
        return [{ html: escapeHtml(marker), plain: length(marker) }];
      }),
    )
    .filter((s) => s.length > 0);
  return measure(kept) <= maxChars ? kept : undefined;
}

function renderText(view: View, maxChars: number): string {
  // Telegram refuses an empty message; a view with nothing to read still gets an answer.
  if (viewToPlainText(view).trim() === "") return "…";
  const sections = textOf(view, itemNumbers(view));
  const fitted = fitItems(sections, maxChars);
  if (fitted) return join(fitted);
  // A single paragraph too long to show: plain text, cut, is better than no answer at all.
  const plain = viewToPlainText(view);
  return escapeHtml(`${plain.slice(0, maxChars - 1)}…`);
}

function label(text: string): string {
  const chars = [...text];
  return chars.length <= TELEGRAM_LIMITS.buttonLabelChars
    ? text
    : `${chars.slice(0, TELEGRAM_LIMITS.buttonLabelChars - 1).join("")}…`;
}

function keyboardOf(view: View, opts: RenderOptions): InlineKeyboardButton[][] {
  const numbers = itemNumbers(view);
  const rows: InlineKeyboardButton[][] = [];
  const callback = (text: string, action: Parameters<typeof encodeAction>[0]) => {
    try {
      return { text: label(text), callback_data: encodeAction(action) };
    } catch (err) {
      if (!(err instanceof ActionIdError)) throw err;
      opts.onDroppedButton?.(text, err.message);
      return undefined;
    }
  };
  if (view.select) {
    for (const option of view.select.options) {
      const n = numbers.get(option.value);
      const mark = option.selected ? `${SELECTED} ` : "";
      const button = callback(`${mark}${n !== undefined ? `${n}. ` : ""}${option.label}`, {
        ...view.select.action,
        arg: option.value,
      });
      if (button) rows.push([button]);
    }
  }
  for (const row of view.buttons) {
    const out: InlineKeyboardButton[] = [];
    for (const b of row) {
      if (isLinkButton(b)) {
        if (/^(https?|tg):\/\//i.test(b.url)) out.push({ text: label(b.label), url: b.url });
        else opts.onDroppedButton?.(b.label, "not an http(s) or tg link");
        continue;
      }
      // Telegram has no disabled state; a button that would do nothing is better left out.
      if (b.disabled) continue;
      const button = callback(b.label, b.action);
      if (button) out.push(button);
    }
    if (out.length > 0) rows.push(out);
  }
  const fitted: InlineKeyboardButton[][] = [];
  let count = 0;
  for (const row of rows) {
    const room = TELEGRAM_LIMITS.buttons - count;
    if (room <= 0) break;
    fitted.push(row.slice(0, room));
    count += Math.min(row.length, room);
  }
  return fitted;
}

export function renderView(view: View, opts: RenderOptions = {}): TelegramMessage {
  const html = renderText(view, opts.maxChars ?? TELEGRAM_LIMITS.textChars);
  const keyboard = keyboardOf(view, opts);
  const callbackData = keyboard.flatMap((row) =>
    row.flatMap((b) => ("callback_data" in b && b.callback_data !== undefined ? [b.callback_data] : [])),
  );
  return keyboard.length > 0
    ? { html, replyMarkup: { inline_keyboard: keyboard }, callbackData }
    : { html, callbackData };
}
