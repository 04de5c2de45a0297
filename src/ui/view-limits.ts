/**
 * The strictest of Discord's and Telegram's limits, checked on the platform-neutral View so a
 * view that one platform would refuse fails where it is built (in the core and its tests), not
 * in production on one platform only. The fake platform servers enforce the same limits again.
 */
import { ActionIdError, encodeAction } from "./action-id.ts";
import { viewToPlainText } from "./plain-text.ts";
import { isLinkButton, type View } from "./view.ts";

export const VIEW_LIMITS = {
  /** Discord: 5 action rows per message; a select menu takes a whole row. */
  rows: 5,
  /** Discord: 5 buttons per row. */
  buttonsPerRow: 5,
  /** Discord: 25 options per select menu. */
  selectOptions: 25,
  /** Discord: button label. */
  buttonLabel: 80,
  /** Discord: select option label, value and description. */
  optionText: 100,
  /** Discord: select placeholder. */
  placeholder: 150,
  /** Discord: embed title. */
  title: 256,
  /** Telegram: 4096 characters per message; the rest is headroom for what renderers add. */
  textChars: 3800,
} as const;

export class ViewLimitError extends Error {
  override readonly name = "ViewLimitError";
  constructor(readonly violations: readonly string[]) {
    super(`view exceeds platform limits:\n${violations.map((v) => `- ${v}`).join("\n")}`);
  }
}

function checkActionId(ref: Parameters<typeof encodeAction>[0], where: string, out: string[]): void {
  try {
    encodeAction(ref);
  } catch (err) {
    if (!(err instanceof ActionIdError)) throw err;
    out.push(`${where}: ${err.message}`);
  }
}

/** Every limit the view breaks; empty when both platforms can show it. */
export function viewLimitViolations(view: View): string[] {
  const out: string[] = [];
  const L = VIEW_LIMITS;
  const rows = view.buttons.length + (view.select ? 1 : 0);
  if (rows > L.rows) out.push(`${rows} rows of controls (max ${L.rows}, a select counts as one)`);
  if (view.title !== undefined && view.title.length > L.title) out.push(`title longer than ${L.title}`);
  const chars = viewToPlainText(view).length;
  if (chars > L.textChars) out.push(`${chars} characters of text (max ${L.textChars})`);

  view.buttons.forEach((row, r) => {
    if (row.length === 0) out.push(`button row ${r + 1} is empty`);
    if (row.length > L.buttonsPerRow)
      out.push(`button row ${r + 1} has ${row.length} buttons (max ${L.buttonsPerRow})`);
    row.forEach((b, i) => {
      const where = `button ${r + 1}.${i + 1}`;
      if (b.label === "" || b.label.length > L.buttonLabel)
        out.push(`${where}: label must be 1–${L.buttonLabel} chars`);
      if (isLinkButton(b)) {
        if (!/^https?:\/\//.test(b.url)) out.push(`${where}: link must be an http(s) URL`);
      } else {
        checkActionId(b.action, where, out);
      }
    });
  });

  // Discord refuses a message whose components share a custom_id.
  const ids = view.buttons.flat().flatMap((b) => (isLinkButton(b) ? [] : [JSON.stringify(b.action)]));
  if (view.select) ids.push(JSON.stringify(view.select.action));
  if (new Set(ids).size !== ids.length)
    out.push("two buttons (or a button and the select) share an action id");

  const select = view.select;
  if (select) {
    const n = select.options.length;
    if (n === 0 || n > L.selectOptions) out.push(`select has ${n} options (1–${L.selectOptions})`);
    if (select.placeholder.length > L.placeholder)
      out.push(`select placeholder longer than ${L.placeholder}`);
    if (!(Number.isInteger(select.min) && Number.isInteger(select.max) && select.min >= 0)) {
      out.push("select min/max must be non-negative integers");
    }
    if (select.min > select.max || select.max > n) out.push(`select needs min ≤ max ≤ options (${n})`);
    if (new Set(select.options.map((o) => o.value)).size !== n)
      out.push("select option values must be unique");
    checkActionId(select.action, "select", out);
    select.options.forEach((o, i) => {
      const where = `select option ${i + 1}`;
      if (o.label === "" || o.label.length > L.optionText)
        out.push(`${where}: label must be 1–${L.optionText} chars`);
      if ((o.description?.length ?? 0) > L.optionText)
        out.push(`${where}: description longer than ${L.optionText}`);
      // Telegram has no select: each option becomes a button whose argument is the option's value.
      checkActionId({ ...select.action, arg: o.value }, where, out);
    });
  }
  return out;
}

/** Throws ViewLimitError listing every limit the view breaks. */
export function assertViewFits(view: View): void {
  const violations = viewLimitViolations(view);
  if (violations.length > 0) throw new ViewLimitError(violations);
}
