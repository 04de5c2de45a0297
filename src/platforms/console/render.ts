/**
 * A View for a terminal: the same blocks as Discord and Telegram show, with every control
 * numbered. Pressing a number is the console's click; the select's options become toggles,
 * as on Telegram.
 */
import type { ActionRef } from "../../ui/action-id.ts";
import { type Block, isLinkButton, type View } from "../../ui/view.ts";

export type Control =
  | { kind: "action"; ref: ActionRef; label: string; disabled?: boolean; toggle?: boolean }
  | { kind: "link"; url: string; label: string; disabled?: undefined };

const TONE_MARK = { info: "ℹ", success: "✔", warning: "!", danger: "✖" } as const;

/** `picking`: the list belongs to a picker, so unselected rows show an empty box, not a bullet. */
function block(b: Block, picking: boolean): string[] {
  switch (b.kind) {
    case "text":
      return [b.spans.map((s) => (s.href && s.href !== s.text ? `${s.text} <${s.href}>` : s.text)).join("")];
    case "fields":
      return b.fields.map((f) => (f.value === "" ? f.label : `${f.label}: ${f.value}`));
    case "items":
      return b.items.map((row) => {
        const mark = row.selected ? "✅" : row.disabled ? "  " : picking ? "▫️" : "•";
        const detail = [row.detail, row.state].filter(Boolean).join(" · ");
        return `  ${mark} ${row.label}${detail ? ` (${detail})` : ""}${row.price ? `  ${row.price}` : ""}`;
      });
  }
}

export function renderConsole(view: View): { text: string; controls: Control[] } {
  const lines: string[] = [];
  if (view.title) lines.push(`${TONE_MARK[view.tone]} ${view.title}`);
  // With a select, its numbered options list the items; the items block would repeat them.
  const blocks = view.select ? view.blocks.filter((b) => b.kind !== "items") : view.blocks;
  blocks.forEach((b, i) => {
    const out = block(b, view.select !== undefined);
    if (i === 0 && !view.title && out[0] !== undefined) out[0] = `${TONE_MARK[view.tone]} ${out[0]}`;
    lines.push(...out);
  });
  // Control n (as printed) is controls[n - 1]; a picker leaves gaps so numbers stay put.
  const controls: Control[] = [];
  const numbered = (label: string, at = controls.length) => `[${at}] ${label}`;
  const place = (control: Control, at?: number) => {
    if (at === undefined) controls.push(control);
    else controls[at - 1] = control;
    return at ?? controls.length;
  };
  if (view.select) {
    const s = view.select;
    const toggles = s.options.map((o, i) => {
      // An option's value is its item's place in the whole list: the same number on every page.
      const at = view.listSize !== undefined && /^\d+$/.test(o.value) ? Number(o.value) + 1 : i + 1;
      place({ kind: "action", ref: { ...s.action, arg: o.value }, label: o.label, toggle: true }, at);
      return numbered(
        `${o.selected ? "✅" : "▫️"} ${o.label}${o.description ? `  ${o.description}` : ""}`,
        at,
      );
    });
    lines.push("", ...toggles);
  }
  // Buttons come after every item of the list, not just this page's.
  if (view.listSize !== undefined && controls.length < view.listSize) controls.length = view.listSize;
  const rows = view.buttons
    .map((row) =>
      // Disabled buttons keep their number (shown in parentheses) so numbers don't shift.
      row
        .map((b) => {
          if (isLinkButton(b)) {
            return numbered(`${b.label} ↗`, place({ kind: "link", url: b.url, label: b.label }));
          }
          const at = place({
            kind: "action",
            ref: b.action,
            label: b.label,
            ...(b.disabled ? { disabled: true } : {}),
          });
          return numbered(b.disabled ? `(${b.label})` : b.label, at);
        })
        .join("  "),
    )
    .filter((r) => r !== "");
  if (rows.length > 0) lines.push("", ...rows);
  if (view.footer) lines.push(view.footer);
  return { text: lines.join("\n"), controls };
}
