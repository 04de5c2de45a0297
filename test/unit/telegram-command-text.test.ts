/**
 * Reading a Telegram command's options back from its words, with the real command definitions:
 * choice words (the game, what to pause) at either end — the usage line lists them last — and the
 * free text in between.
 */
import { describe, expect, it } from "vitest";
import { admin } from "../../commands/admin.ts";
import { price } from "../../commands/price.ts";
import { withdraw } from "../../commands/withdraw.ts";
import { parseCommandText, usageOf } from "../../src/platforms/telegram/command-text.ts";

describe("parseCommandText", () => {
  it("takes a game word first or last, and leaves the search text between", () => {
    expect(parseCommandText(withdraw, "rust ak47").args).toEqual({ game: "rust", item: "ak47" });
    expect(parseCommandText(withdraw, "metal facemask RUST").args).toEqual({
      game: "rust",
      item: "metal facemask",
    });
    expect(parseCommandText(price, "ak-47 redline cs2").args).toEqual({ game: "cs2", item: "ak-47 redline" });
    expect(parseCommandText(withdraw, "ak-47 redline").args).toEqual({ item: "ak-47 redline" });
  });

  it("reads /admin giveaway as its usage line writes it: member, item, then the game", () => {
    const giveaway = admin.subcommands?.find((s) => s.name === "giveaway");
    expect(giveaway?.options.map(usageOf)).toEqual(["<member>", "<item>", "cs2|rust"]);
    expect(parseCommandText(admin, "giveaway 4200000301 metal facemask rust")).toEqual({
      subcommand: "giveaway",
      args: { member: "4200000301", item: "metal facemask", game: "rust" },
    });
    expect(parseCommandText(admin, "giveaway rust 4200000301 metal facemask").args).toEqual({
      member: "4200000301",
      item: "metal facemask",
      game: "rust",
    });
  });

  it("fills a choice once: a second game word stays part of the search", () => {
    expect(parseCommandText(withdraw, "rust rust").args).toEqual({ game: "rust", item: "rust" });
    expect(parseCommandText(admin, "pause deposits").args).toEqual({ what: "deposits" });
  });
});
