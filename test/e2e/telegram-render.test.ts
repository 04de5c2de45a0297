/**
 * The View → Telegram renderer, checked against what Telegram accepts: every rendered message is
 * sent through grammY to the fake Bot API, which parses the HTML, counts characters and buttons
 * the way Telegram does, and records any request Telegram would refuse.
 */
import fc from "fast-check";
import { Api } from "grammy";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderView, type TelegramMessage } from "../../src/platforms/telegram/render.ts";
import { ACTIONS } from "../../src/ui/action-id.ts";
import { fields, type ItemRow, items, message, text, type View } from "../../src/ui/view.ts";
import {
  type FakeTelegram,
  startFakeTelegram,
  type TgMessage,
  type TgUser,
} from "../fakes/telegram/index.ts";

let fake: FakeTelegram;
let api: Api;
let member: TgUser;

beforeAll(async () => {
  fake = await startFakeTelegram();
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
  member = fake.user();
  fake.addChat(fake.privateChat(member));
});
afterAll(async () => fake.close());

// One fake serves the whole file; each test answers only for the requests it made.
let seen = 0;
beforeEach(() => {
  seen = fake.violations.length;
});
afterEach(() => {
  expect(fake.violations.slice(seen)).toEqual([]);
});

/** Sends a rendered message as the adapter does and returns it as Telegram stored it. */
async function deliver(m: TelegramMessage): Promise<TgMessage> {
  const sent = await api.sendMessage(member.id, m.html, {
    parse_mode: "HTML",
    ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
  });
  const stored = fake.message(member.id, sent.message_id);
  if (!stored) throw new Error("the fake lost the message");
  return stored;
}

function picker(rows: ItemRow[], session = "S3ss10nId0"): View {
  return {
    tone: "info",
    title: "Choose skins to deposit",
    blocks: [text("Tap items to select them."), items(rows), fields({ label: "Total: $1.00", value: "" })],
    select: {
      action: { action: ACTIONS.pickSelect, session, arg: "0" },
      placeholder: "Select items",
      options: rows
        .filter((r) => !r.disabled)
        .map((r) => ({ value: r.id, label: r.label, selected: r.selected === true })),
      min: 0,
      max: rows.length,
    },
    buttons: [
      [
        { action: { action: ACTIONS.pickPage, session, arg: "-1" }, label: "◀ Prev", disabled: true },
        { action: { action: ACTIONS.pickPage, session, arg: "1" }, label: "Next ▶" },
      ],
      [
        { action: { action: ACTIONS.pickConfirm, session }, label: "Confirm", style: "success" },
        { action: { action: ACTIONS.pickCancel, session }, label: "Cancel", style: "danger" },
      ],
    ],
    footer: "Page 1 of 2",
  };
}

describe("rendering a view for Telegram", () => {
  it("shows item names, reasons and titles exactly as written, whatever markup characters they hold", async () => {
    const piece = fc.constantFrom(
      "<",
      ">",
      "&",
      "&amp;",
      "<b>",
      "</i>",
      '"',
      "'",
      "a",
      "Z",
      " ",
      "™",
      "😀",
      "|",
    );
    const value = fc.array(piece, { minLength: 1, maxLength: 12 }).map((parts) => `x${parts.join("")}x`);
    await fc.assert(
      fc.asyncProperty(value, value, value, value, async (title, name, reason, footer) => {
        const view: View = {
          tone: "warning",
          title,
          blocks: [
            text({ text: reason, bold: true }, " and ", { text: name, code: true }),
            fields({ label: name, value: reason }),
            items([{ id: "0", label: name, detail: reason, price: "$1.00", state: reason }]),
          ],
          buttons: [],
          footer,
        };
        const stored = await deliver(renderView(view));
        for (const shown of [title, name, reason, footer]) expect(stored.text).toContain(shown);
      }),
      { numRuns: 60 },
    );
  });

  it("turns a picker's select into numbered toggles, ✅ on the chosen ones, and leaves disabled buttons out", async () => {
    const rendered = renderView(
      picker([
        { id: "8", label: "AK-47 | Redline", detail: "Field-Tested", price: "$12.00", selected: true },
        { id: "9", label: "AK-47 | Redline", detail: "Well-Worn", price: "$9.50" },
        { id: "10", label: "Sticker | Crown", price: "$0.00", state: "not accepted", disabled: true },
      ]),
    );
    const stored = await deliver(rendered);
    expect(stored.text).toBe(
      [
        "Choose skins to deposit",
        "",
        "Tap items to select them.",
        "",
        "✅ 1. AK-47 | Redline · Field-Tested — $12.00",
        "▫️ 2. AK-47 | Redline · Well-Worn — $9.50",
        "▫️ Sticker | Crown — $0.00 (not accepted)",
        "",
        "Total: $1.00",
        "",
        "Page 1 of 2",
      ].join("\n"),
    );
    expect(stored.reply_markup?.inline_keyboard).toEqual([
      [{ text: "✅ 1. AK-47 | Redline", callback_data: "1:pick.select:S3ss10nId0:8" }],
      [{ text: "2. AK-47 | Redline", callback_data: "1:pick.select:S3ss10nId0:9" }],
      [{ text: "Next ▶", callback_data: "1:pick.page:S3ss10nId0:1" }],
      [
        { text: "Confirm", callback_data: "1:pick.confirm:S3ss10nId0" },
        { text: "Cancel", callback_data: "1:pick.cancel:S3ss10nId0" },
      ],
    ]);
    expect(rendered.callbackData).toHaveLength(5);
  });

  it("keeps a long list within 4096 characters by dropping item lines from the end, keeping totals and buttons", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: String(i),
      label: `StatTrak™ Souvenir ★ Karambit | Case Hardened <${i}> & friends`,
      detail: "Factory New · Float 0.0012345678 · Pattern 661",
      price: "$1,234.56",
    }));
    const stored = await deliver(renderView(picker(rows.slice(0, 8).concat(rows))));
    // Only as many lines go as must: what is left fills the message to within a line's length.
    expect([...(stored.text ?? "")].length).toBeLessThanOrEqual(4096);
    expect([...(stored.text ?? "")].length).toBeGreaterThan(4096 - 120);
    expect(stored.text).toMatch(/… \(\+\d+\)/);
    expect(stored.text).toContain("Total: $1.00");
    expect(stored.text?.endsWith("Page 1 of 2")).toBe(true);
  });

  it("cuts an oversized paragraph rather than failing to answer", async () => {
    const stored = await deliver(renderView(message("info", "<&> ".repeat(3000))));
    expect([...(stored.text ?? "")].length).toBeLessThanOrEqual(4096);
    expect(stored.text?.startsWith("<&> <&>")).toBe(true);
  });

  it("never offers more than 100 buttons", async () => {
    const row = (r: number) =>
      Array.from({ length: 5 }, (_, i) => ({
        action: { action: ACTIONS.pickToggle, session: "S3ss10nId0", arg: `${r}.${i}` },
        label: `${r}.${i}`,
      }));
    const view: View = {
      tone: "info",
      blocks: [text("many")],
      buttons: Array.from({ length: 30 }, (_, r) => row(r)),
    };
    const stored = await deliver(renderView(view));
    expect(stored.reply_markup?.inline_keyboard.flat()).toHaveLength(100);
  });

  it("links web addresses, opens Steam offers with url buttons and never sends an empty message", async () => {
    const view: View = {
      tone: "success",
      blocks: [
        text("Accept it in ", { text: "Steam", href: "https://steamcommunity.com/tradeoffer/1/?a=1&b=2" }),
      ],
      buttons: [[{ url: "https://steamcommunity.com/tradeoffer/1/", label: "View trade offer" }]],
    };
    const stored = await deliver(renderView(view));
    expect(stored.text).toBe("✅ Accept it in Steam");
    expect(stored.entities).toContainEqual({
      type: "text_link",
      offset: 15,
      length: 5,
      url: "https://steamcommunity.com/tradeoffer/1/?a=1&b=2",
    });
    expect(stored.reply_markup?.inline_keyboard).toEqual([
      [{ text: "View trade offer", url: "https://steamcommunity.com/tradeoffer/1/" }],
    ]);
    const empty = await deliver(renderView({ tone: "info", blocks: [text("  ")], buttons: [] }));
    expect(empty.text).toBe("…");
  });
});
