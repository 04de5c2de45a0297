/**
 * The application commands Discord gets: built from the shared definitions, accepted by the fake
 * Discord (which applies Discord's own validation), and registered only when they changed, both
 * through the exported function and through `npm run register`'s script.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { REST } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS } from "../../commands/index.ts";
import {
  createCommandBuilder,
  DISCORD_LOCALES,
  registerCommands,
} from "../../src/platforms/discord/index.ts";
import { createI18n, type Locale } from "../../src/ui/i18n.ts";
import { DEFAULT_GUILD_ID, type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.ts";

const run = promisify(execFile);
const i18n = createI18n({ defaultLocale: "en" });
const built = () => createCommandBuilder(i18n).build(COMMANDS);
const byName = (name: string) => {
  const found = built().find((c) => c.name === name);
  if (!found) throw new Error(`no /${name}`);
  return found;
};

describe("the Discord command definitions", () => {
  it("lists every shared command that Discord has, without Telegram's /start", () => {
    expect(built().map((c) => c.name)).toEqual(COMMANDS.filter((c) => c.name !== "start").map((c) => c.name));
  });

  it("describes commands, options and choices from the catalogues, in every language they speak", () => {
    const deposit = byName("deposit");
    expect(deposit.description).toBe(i18n.t("en", "commands.deposit.description"));
    const localized: Record<string, string | null> = deposit.description_localizations ?? {};
    expect(localized["en-US"]).toBe(deposit.description);
    expect(localized["en-GB"]).toBe(deposit.description);
    // Every other language the catalogues speak, under each of its Discord locale codes.
    const codes = Object.entries(DISCORD_LOCALES).flatMap(([locale, list]) =>
      list.map((code) => [locale, code]),
    );
    expect(codes.map(([, code]) => code)).toEqual(expect.arrayContaining(Object.keys(localized)));
    for (const [locale, code] of codes) {
      if (code && localized[code] !== undefined)
        expect(localized[code]).toBe(i18n.t(locale as Locale, "commands.deposit.description"));
    }
    const game = deposit.options?.[0];
    expect(game).toMatchObject({
      name: "game",
      type: 3,
      description: "Which game's inventory",
      choices: [
        { name: "CS2", value: "cs2", name_localizations: { "en-US": "CS2", "en-GB": "CS2" } },
        { name: "Rust", value: "rust", name_localizations: { "en-US": "Rust", "en-GB": "Rust" } },
      ],
    });
    expect(byName("withdraw").options?.[0]).toMatchObject({
      name: "item",
      autocomplete: true,
      max_length: 100,
    });
    expect(byName("link").options?.[0]).toMatchObject({ name: "trade_url", max_length: 200 });
    expect(byName("link").options?.[0]).not.toHaveProperty("required");
  });

  it("hides /admin behind Manage Server, in servers only, with its subcommands and required options", () => {
    const admin = byName("admin");
    expect(admin.default_member_permissions).toBe("32");
    expect(admin.contexts).toEqual([0]);
    expect(byName("balance").default_member_permissions).toBeNull();
    const adjust = admin.options?.find((o) => o.name === "adjust");
    const options = adjust && "options" in adjust ? (adjust.options ?? []) : [];
    expect(options.map((o) => [o.name, o.type, "required" in o ? o.required : false])).toEqual([
      ["member", 6, true],
      ["amount", 3, true],
      ["reason", 3, true],
    ]);
  });
});

describe("registering the commands", () => {
  let fake: FakeDiscord;
  let rest: REST;

  beforeAll(async () => {
    fake = await startFakeDiscord();
    rest = new REST({ api: fake.apiBase }).setToken(fake.token);
  });

  afterAll(async () => {
    await fake?.close();
  });

  beforeEach(() => {
    fake.violations.splice(0);
  });

  const puts = () => fake.calls.filter((c) => c.method === "PUT").length;

  it("registers globally once, and leaves Discord alone while the definitions are unchanged", async () => {
    const first = await registerCommands({ rest, commands: built() });
    expect(first).toEqual({ changed: true, scope: "global", count: built().length });
    expect(fake.commands().map((c) => c.name)).toEqual(built().map((c) => c.name));
    expect(fake.calls.some((c) => c.path === "/applications/@me")).toBe(true);

    const before = puts();
    const again = await registerCommands({ rest, applicationId: fake.applicationId, commands: built() });
    expect(again.changed).toBe(false);
    expect(puts()).toBe(before);
    expect(fake.violations).toEqual([]);
  });

  it("registers again when a definition changed", async () => {
    await registerCommands({ rest, applicationId: fake.applicationId, commands: built() });
    const changed = built().map((c) => (c.name === "help" ? { ...c, description: "How this bot works" } : c));
    const before = puts();
    expect(
      (await registerCommands({ rest, applicationId: fake.applicationId, commands: changed })).changed,
    ).toBe(true);
    expect(puts()).toBe(before + 1);
    expect(fake.commands().find((c) => c.name === "help")?.description).toBe("How this bot works");
  });

  it("registers on one guild when given one", async () => {
    const result = await registerCommands({
      rest,
      applicationId: fake.applicationId,
      guildId: DEFAULT_GUILD_ID,
      commands: built(),
    });
    expect(result.scope).toEqual({ guildId: DEFAULT_GUILD_ID });
    expect(fake.commands(DEFAULT_GUILD_ID).map((c) => c.name)).toContain("withdraw");
    expect(fake.violations).toEqual([]);
  });

  it("does the same from `npm run register`'s script, with the bot's environment", async () => {
    const env = {
      ...process.env,
      ASSETPAY_API_KEY: "ap_register_key",
      ASSETPAY_API_SECRET: "register-secret-0123456789",
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_GUILD_ID: DEFAULT_GUILD_ID,
      LOG_LEVEL: "silent",
    };
    // The guild already has this set from the test above.
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/register-commands.ts"], {
      env,
    });
    expect(stdout).toContain(`Already up to date: ${built().length} commands on guild ${DEFAULT_GUILD_ID}`);
    expect(stdout).not.toContain(fake.token);
  });
});
