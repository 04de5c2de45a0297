/**
 * Views as Discord messages, checked with the fake Discord's own validation (the rules Discord
 * applies to a message body) so a view that renders here is one Discord accepts.
 */
import { describe, expect, it } from "vitest";
import type { PickerEntry, PickerSession } from "../../src/core/picker.ts";
import { renderView, TONE_COLOURS } from "../../src/platforms/discord/render.ts";
import { decodeAction } from "../../src/ui/action-id.ts";
import { createI18n } from "../../src/ui/i18n.ts";
import { message, text, type View } from "../../src/ui/view.ts";
import { noticeView } from "../../src/ui/views/notice-view.ts";
import { pickerView } from "../../src/ui/views/picker-view.ts";
import { suggestionsView } from "../../src/ui/views/trade-views.ts";
import { FormErrors } from "../fakes/discord/discord-errors.ts";
import { validateMessageBody } from "../fakes/discord/validate-message.ts";

const i18n = createI18n({ defaultLocale: "en" });

/** Discord's verdict on a message body: the list of problems, empty when it would be accepted. */
function discordProblems(body: unknown): string[] {
  const errors = new FormErrors();
  validateMessageBody(errors, [], body as Record<string, unknown>, { allowEphemeral: true });
  return errors.issues.map((i) => `${i.path}: ${i.message}`);
}

function inventory(count: number, name: (i: number) => string, page = 0): PickerSession {
  const entries: PickerEntry[] = Array.from({ length: count }, (_, i) => ({
    id: `730_${String(10_000_000_000 + i)}`,
    name: name(i),
    exterior: "Field-Tested",
    wear: `0.${String(i).padStart(10, "7")}`,
    priceCents: 100_000 - i,
    quotedCents: 100_000 - i,
    amount: 1,
    selectable: i % 7 !== 0,
  }));
  return {
    id: "pk_render01",
    owner: "discord:1",
    kind: "deposit",
    game: "730",
    entries,
    selected: entries.filter((e, i) => e.selectable && i % 3 === 0).map((e) => e.id),
    page,
    pageSize: 25,
    createdAt: Date.now(),
    expiresAt: Date.now() + 900_000,
    state: "open",
  };
}

describe("rendering views for Discord", () => {
  it("renders a page of a 5,000-item inventory with very long names as a message Discord accepts", () => {
    const session = inventory(
      5_000,
      (i) => `StatTrak™ ★ Karambit | ${"Gamma Doppler ".repeat(12)}#${i}`,
      117,
    );
    const body = renderView(pickerView(i18n, "en", session));
    expect(discordProblems(body)).toEqual([]);
    const [select, ...buttonRows] = body.components;
    const menu = select?.components[0];
    expect(menu?.type).toBe(3);
    expect(menu && "options" in menu ? menu.options.length : 0).toBeLessThanOrEqual(25);
    expect(buttonRows.flatMap((r) => r.components).map((b) => ("label" in b ? b.label : ""))).toEqual([
      "◀ Prev",
      "Next ▶",
      "Refresh",
      "Confirm",
      "Cancel",
    ]);
    const embed = body.embeds[0];
    expect(embed?.description?.length).toBeLessThanOrEqual(4096);
    expect(embed?.footer?.text).toBe("Page 118 of 200");
    for (const row of body.components) {
      for (const c of row.components) {
        if ("custom_id" in c) expect(decodeAction(c.custom_id)?.session).toBe("pk_render01");
      }
    }
  });

  it("marks selected and unavailable items and keeps prices on each line", () => {
    const session = inventory(30, (i) => `AK-47 | Redline #${i}`);
    const description = renderView(pickerView(i18n, "en", session)).embeds[0]?.description ?? "";
    expect(description).toMatch(
      /^✅ AK-47 \| Redline #3 · Field-Tested · Float [\d.]+ · \*\*\$999\.97\*\*$/m,
    );
    expect(description).toContain("🚫 AK-47 | Redline #0");
    expect(description).toContain("▫️ AK-47 | Redline #1");
  });

  it("colours by tone and escapes markdown in names without breaking links", () => {
    const url = "https://steamcommunity.com/tradeoffer/new/?partner=1&token=a_b_c*d1";
    const body = renderView(message("danger", `*Hyper Beast* __fresh__ ~~x~~ ${url}`));
    expect(body.embeds[0]?.color).toBe(TONE_COLOURS.danger);
    expect(body.embeds[0]?.description).toBe(`\\*Hyper Beast\\* \\_\\_fresh\\_\\_ \\~\\~x\\~\\~ ${url}`);
    const bold: View = {
      tone: "success",
      blocks: [text({ text: "Gamma_Doppler", bold: true })],
      buttons: [],
    };
    expect(renderView(bold).embeds[0]?.description).toBe("**Gamma\\_Doppler**");
  });

  it("packs more than five one-button rows into rows of five, as Discord allows five rows", () => {
    const rows = Array.from({ length: 10 }, (_, i) => [
      {
        action: { action: "wd.item", session: "srch_1", arg: String(i) },
        label: `AK-47 | Case Hardened ${i}`,
      },
    ]);
    const body = renderView({ tone: "info", blocks: [text("Pick one")], buttons: rows });
    expect(body.components.map((r) => r.components.length)).toEqual([5, 5]);
    expect(discordProblems(body)).toEqual([]);
  });

  it("shows the first five search suggestions, one per row", () => {
    const found = Array.from({ length: 10 }, (_, i) => ({
      name: `AK-47 | Case Hardened (Field-Tested) ${i}`,
    }));
    const body = renderView(suggestionsView(i18n, "en", "ak", "srch_1", found));
    expect(body.components.map((r) => r.components.length)).toEqual([1, 1, 1, 1, 1]);
    expect(discordProblems(body)).toEqual([]);
  });

  it("turns a DM notice into a coloured embed with a button to the Steam offer", () => {
    const body = renderView(
      noticeView(i18n, "en", { kind: "withdraw.offer", tradeId: "t1", game: "730", offerId: "4861948215" }),
    );
    expect(discordProblems(body)).toEqual([]);
    expect(body.components[0]?.components[0]).toMatchObject({
      type: 2,
      style: 5,
      label: "View trade offer",
      url: "https://steamcommunity.com/tradeoffer/4861948215/",
    });
  });
});
