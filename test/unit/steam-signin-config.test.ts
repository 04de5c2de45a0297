import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

const BASE = { ASSETPAY_API_KEY: "ap_test_key_0123456789", ASSETPAY_API_SECRET: "secret-0123456789" };

describe("STEAM_SIGNIN", () => {
  it("is required by default when PUBLIC_URL is set, off without it", () => {
    expect(loadConfig({ ...BASE, PUBLIC_URL: "https://bot.example.org" }).steam).toEqual({
      signIn: "required",
      openIdUrl: "https://steamcommunity.com/openid",
    });
    expect(loadConfig(BASE).steam.signIn).toBe("off");
  });

  it("refuses required or optional without PUBLIC_URL, and says why", () => {
    expect(() => loadConfig({ ...BASE, STEAM_SIGNIN: "optional" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, STEAM_SIGNIN: "required" })).toThrow(/PUBLIC_URL/);
  });

  it("warns when an operator with a public listener turns it off", () => {
    const config = loadConfig({ ...BASE, PUBLIC_URL: "https://bot.example.org", STEAM_SIGNIN: "off" });
    expect(config.warnings.join("\n")).toMatch(/STEAM_SIGNIN is off/);
  });

  it("takes another OpenID provider (the sandbox) without a trailing slash", () => {
    const config = loadConfig({ ...BASE, STEAM_OPENID_URL: "http://127.0.0.1:4010/steam/openid/" });
    expect(config.steam.openIdUrl).toBe("http://127.0.0.1:4010/steam/openid");
  });
});
