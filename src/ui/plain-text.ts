/**
 * A View as plain text: what a member would read, without markup. Used to check a view's length
 * against the platforms' limits, by tests asserting what a member sees, and as a base for the
 * console adapter.
 */
import type { Block, Inline, View } from "./view.ts";
import { isLinkButton } from "./view.ts";

function inline(span: Inline): string {
  return span.href !== undefined && span.href !== span.text ? `${span.text} (${span.href})` : span.text;
}

function block(b: Block): string {
  switch (b.kind) {
    case "text":
      return b.spans.map(inline).join("");
    case "fields":
      return b.fields.map((f) => `${f.label}: ${f.value}`).join("\n");
    case "items":
      return b.items
        .map((row) => {
          const mark = row.selected ? "[x]" : "[ ]";
          const parts = [row.label, row.detail, row.price, row.state].filter(
            (p) => p !== undefined && p !== "",
          );
          return `${mark} ${parts.join(" · ")}`;
        })
        .join("\n");
  }
}

/** The view's text (title, blocks, footer); with `controls`, also its select options and buttons. */
export function viewToPlainText(view: View, options: { controls?: boolean } = {}): string {
  const parts: string[] = [];
  if (view.title !== undefined) parts.push(view.title);
  for (const b of view.blocks) parts.push(block(b));
  if (view.footer !== undefined) parts.push(view.footer);
  if (options.controls) {
    if (view.select) {
      parts.push(
        [
          view.select.placeholder,
          ...view.select.options.map((o) => `${o.selected ? "(•)" : "( )"} ${o.label}`),
        ].join("\n"),
      );
    }
    for (const row of view.buttons) {
      parts.push(row.map((b) => (isLinkButton(b) ? `[${b.label} ↗ ${b.url}]` : `[${b.label}]`)).join(" "));
    }
  }
  return parts.join("\n\n");
}
