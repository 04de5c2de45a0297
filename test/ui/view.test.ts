import { describe, expect, it } from "vitest";
import { ACTIONS, newSessionId } from "../../src/ui/action-id.ts";
import { viewToPlainText } from "../../src/ui/plain-text.ts";
import { fields, items, message, text, type View } from "../../src/ui/view.ts";
import {
  assertViewFits,
  VIEW_LIMITS,
  ViewLimitError,
  viewLimitViolations,
} from "../../src/ui/view-limits.ts";

const session = newSessionId();

/** A full picker page as the core would build it: 25 options, navigation and confirm rows. */
function pickerPage(): View {
  const options = Array.from({ length: 25 }, (_, i) => ({
    value: String(i),
    label: `AK-47 | Redline (Field-Tested) #${i}`,
    description: "Float 0.23 · $12.50",
    selected: i === 3,
  }));
  return {
    tone: "info",
    title: "Choose skins to deposit",
    blocks: [
      text("Tap items to select them. ", { text: "Prices", bold: true }, " are what you'll receive."),
      items([
        { id: "a", label: "AK-47 | Redline", detail: "Float 0.23", price: "$12.50", selected: true },
        { id: "b", label: "AWP | Asiimov", price: "$80.00", state: "not tradable yet", disabled: true },
      ]),
      fields({ label: "Total", value: "$12.50" }),
    ],
    select: {
      action: { action: ACTIONS.pickSelect, session },
      placeholder: "Select items",
      options,
      min: 0,
      max: 25,
    },
    buttons: [
      [
        { action: { action: ACTIONS.pickPage, session, arg: "1" }, label: "◀ Prev" },
        { action: { action: ACTIONS.pickPage, session, arg: "3" }, label: "Next ▶" },
      ],
      [
        { action: { action: ACTIONS.pickConfirm, session }, label: "Confirm", style: "success" },
        { action: { action: ACTIONS.pickCancel, session }, label: "Cancel", style: "danger" },
      ],
      [{ url: "https://steamcommunity.com/tradeoffer/123/", label: "View trade offer" }],
    ],
    ephemeral: true,
    footer: "Page 2 of 4",
  };
}

describe("view limits", () => {
  it("accept a full picker page", () => {
    expect(viewLimitViolations(pickerPage())).toEqual([]);
    expect(() => assertViewFits(pickerPage())).not.toThrow();
  });

  it("count a select as a row and refuse a sixth", () => {
    const view = pickerPage();
    view.buttons.push([{ label: "A", action: { action: "confirm", session } }]);
    view.buttons.push([{ label: "B", action: { action: "cancel", session } }]);
    expect(viewLimitViolations(view)).toEqual(["6 rows of controls (max 5, a select counts as one)"]);
  });

  it("refuse more than 5 buttons in a row and more than 25 options", () => {
    const view = pickerPage();
    view.buttons[0] = Array.from({ length: 6 }, (_, i) => ({
      label: `${i}`,
      action: { action: ACTIONS.pickPage, session, arg: `${i}` },
    }));
    view.select?.options.push({ value: "25", label: "one too many" });
    view.select!.max = 26;
    expect(viewLimitViolations(view)).toEqual([
      "button row 1 has 6 buttons (max 5)",
      "select has 26 options (1–25)",
    ]);
  });

  it("refuse labels that are empty or too long for Discord", () => {
    const view = pickerPage();
    view.buttons[1]![0]!.label = "x".repeat(VIEW_LIMITS.buttonLabel + 1);
    view.select!.options[0]!.label = "";
    expect(viewLimitViolations(view)).toEqual([
      "button 2.1: label must be 1–80 chars",
      "select option 1: label must be 1–100 chars",
    ]);
  });

  it("refuse option values too long to ride in a Telegram callback", () => {
    const view = pickerPage();
    view.select!.options[0]!.value = "0e8f4bd2-55a1-4c8e-9a63-1f0b6f0cfa11";
    const violations = viewLimitViolations(view);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^select option 1: action id is \d+ bytes; Telegram allows 64/);
  });

  it("refuse text longer than a Telegram message", () => {
    const view = message("info", "x".repeat(VIEW_LIMITS.textChars + 1));
    expect(() => assertViewFits(view)).toThrow(ViewLimitError);
    expect(viewLimitViolations(view)).toEqual([`${VIEW_LIMITS.textChars + 1} characters of text (max 3800)`]);
  });
});

describe("viewToPlainText", () => {
  it("shows what a member reads, in order", () => {
    expect(viewToPlainText(pickerPage())).toBe(
      [
        "Choose skins to deposit",
        "Tap items to select them. Prices are what you'll receive.",
        "[x] AK-47 | Redline · Float 0.23 · $12.50\n[ ] AWP | Asiimov · $80.00 · not tradable yet",
        "Total: $12.50",
        "Page 2 of 4",
      ].join("\n\n"),
    );
  });

  it("can include the controls a member can press", () => {
    const shown = viewToPlainText(pickerPage(), { controls: true });
    expect(shown).toContain("Select items\n( ) AK-47 | Redline (Field-Tested) #0");
    expect(shown).toContain("(•) AK-47 | Redline (Field-Tested) #3");
    expect(shown).toContain("[◀ Prev] [Next ▶]\n\n[Confirm] [Cancel]");
    expect(shown).toContain("[View trade offer ↗ https://steamcommunity.com/tradeoffer/123/]");
  });

  it("spells out a link whose text is not the URL", () => {
    const view = message("success", "", {
      blocks: [
        text("Accept it in Steam: ", {
          text: "trade offer",
          href: "https://steamcommunity.com/tradeoffer/9/",
        }),
      ],
    });
    expect(viewToPlainText(view)).toBe(
      "Accept it in Steam: trade offer (https://steamcommunity.com/tradeoffer/9/)",
    );
  });
});
