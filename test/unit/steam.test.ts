import { describe, expect, it } from "vitest";
import { parseTradeUrl, tradeOfferLink } from "../../src/core/steam.ts";

describe("Steam trade URLs", () => {
  it("derives SteamID64 from the partner account id", () => {
    const parsed = parseTradeUrl(
      "https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh",
    );
    expect(parsed).toEqual({
      url: "https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh",
      accountId: 12345678,
      token: "AbCdEfGh",
      steamId: "76561197972611406",
    });
  });
  it("trims surrounding whitespace a member pasted", () => {
    expect(
      parseTradeUrl("  https://steamcommunity.com/tradeoffer/new/?partner=1&token=abcdefgh \n")?.steamId,
    ).toBe("76561197960265729");
  });
  it("refuses URLs AssetPay would refuse", () => {
    for (const bad of [
      "http://steamcommunity.com/tradeoffer/new/?partner=1&token=abcdefgh",
      "https://steamcommunity.com/tradeoffer/new/?partner=1&token=abcdefg",
      "https://steamcommunity.com/tradeoffer/new/?token=abcdefgh&partner=1",
      "https://steamcommunity.com/tradeoffer/new/?partner=12345678901&token=abcdefgh",
      "https://steamcommunity.com/tradeoffer/new/?partner=0&token=abcdefgh",
      "https://steamcommunity.com/tradeoffer/new/?partner=9999999999&token=abcdefgh",
      "https://evil.example/tradeoffer/new/?partner=1&token=abcdefgh",
      "",
    ]) {
      expect(parseTradeUrl(bad), bad).toBeNull();
    }
  });
  it("links to a trade offer by id", () => {
    expect(tradeOfferLink("6543210")).toBe("https://steamcommunity.com/tradeoffer/6543210/");
  });
});
