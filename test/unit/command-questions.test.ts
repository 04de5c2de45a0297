/**
 * A command's missing-option question is its definition's `ask`, which Discord turns into a
 * modal and reads back from the submit: a command the platform has never heard of asks too, and
 * one without `ask` never does. Every command that answers with an `ask` reply declares it.
 */
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../commands/index.ts";
import type { CommandDefinition } from "../../commands/types.ts";
import { askModal, missingQuestion, parseAskSubmit } from "../../src/platforms/discord/modals.ts";
import { createI18n } from "../../src/ui/i18n.ts";

const i18n = createI18n({ defaultLocale: "en" });

const price: CommandDefinition = {
  name: "price",
  descriptionKey: "commands.withdraw.description",
  options: [
    { name: "item", type: "string", descriptionKey: "commands.withdraw.options.search", maxLength: 100 },
    { name: "game", type: "string", descriptionKey: "commands.withdraw.options.game" },
  ],
  ask: { option: "item", titleKey: "withdraw.modalTitle", labelKey: "withdraw.searchPlaceholder" },
  run: async () => ({ kind: "view", view: { tone: "info", blocks: [], buttons: [] } }),
};

describe("the question a command asks", () => {
  it("is asked for any command whose definition declares it, and read back with the options given", () => {
    expect(missingQuestion(price, { game: "rust" })).toBe("item");
    expect(missingQuestion(price, { item: "  " })).toBe("item");
    expect(missingQuestion(price, { item: "AK-47" })).toBeUndefined();

    const modal = askModal(i18n, "en", price, { game: "rust" })?.toJSON();
    expect(modal?.title).toBe(i18n.t("en", "withdraw.modalTitle"));
    const submitted = parseAskSubmit(modal?.custom_id ?? "", (field) => (field === "item" ? "AWP" : null), [
      price,
    ]);
    expect(submitted).toEqual({ command: "price", args: { game: "rust", item: "AWP" } });
    // A submit for a command that no longer asks (another version's modal) is not ours.
    expect(parseAskSubmit(modal?.custom_id ?? "", () => "AWP", COMMANDS)).toBeNull();
  });

  it("is never asked by a command without one", () => {
    const { ask: _ask, ...silent } = price;
    expect(missingQuestion(silent, {})).toBeUndefined();
    expect(askModal(i18n, "en", silent, {})).toBeUndefined();
  });

  it("is declared, on a real option, by /link and /withdraw among others", () => {
    const asking = COMMANDS.filter((c) => c.ask !== undefined);
    expect(asking.map((c) => c.name)).toEqual(expect.arrayContaining(["link", "withdraw"]));
    for (const def of asking) expect(def.options.map((o) => o.name)).toContain(def.ask?.option);
  });
});
