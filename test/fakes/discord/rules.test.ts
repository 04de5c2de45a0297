import { REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { FormErrors } from "./discord-errors.ts";
import { type FakeDiscord, startFakeDiscord } from "./index.ts";
import { bucketRouteOf, createRateLimiter } from "./rate-limits.ts";
import { validateAutocompleteResult, validateModal } from "./validate-callback.ts";
import { validateCommand, validateCommandList } from "./validate-commands.ts";
import { validateMessageBody } from "./validate-message.ts";

function commandIssues(def: unknown): string[] {
  const errors = new FormErrors();
  validateCommand(errors, [], def);
  return errors.issues.map((i) => `${i.path} ${i.code}`);
}

function messageIssues(body: Record<string, unknown>): string[] {
  const errors = new FormErrors();
  validateMessageBody(errors, [], body, { allowEphemeral: true });
  return errors.issues.map((i) => `${i.path} ${i.code}`);
}

const option = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 3,
  name,
  description: "an option",
  ...extra,
});
const button = (customId: string, extra: Record<string, unknown> = {}) => ({
  type: 2,
  style: 1,
  label: "Go",
  custom_id: customId,
  ...extra,
});
const row = (...components: unknown[]) => ({ type: 1, components });

describe("application command rules", () => {
  it("accepts a localized command with choices and an autocomplete option", () => {
    expect(
      commandIssues({
        name: "deposit",
        description: "Deposit skins",
        name_localizations: { "pt-BR": "depositar" },
        description_localizations: { "pt-BR": "Depositar skins" },
        options: [
          option("game", { required: true, choices: [{ name: "CS2", value: "730" }] }),
          option("item", { autocomplete: true }),
        ],
      }),
    ).toEqual([]);
  });

  it("refuses names Discord refuses: upper case, spaces, too long, bad localizations", () => {
    expect(commandIssues({ name: "Deposit", description: "d" })).toEqual([
      "name APPLICATION_COMMAND_INVALID_NAME",
    ]);
    expect(commandIssues({ name: "my deposit", description: "d" })).toEqual([
      "name APPLICATION_COMMAND_INVALID_NAME",
    ]);
    expect(commandIssues({ name: "x".repeat(33), description: "d" })).toEqual(["name BASE_TYPE_BAD_LENGTH"]);
    expect(commandIssues({ name: "ok", description: "d", name_localizations: { pt: "ok" } })).toEqual([
      "name_localizations.pt ENUM_TYPE_COERCE",
    ]);
    expect(
      commandIssues({ name: "ok", description: "d", name_localizations: { "pt-BR": "Depositar" } }),
    ).toEqual(["name_localizations.pt-BR APPLICATION_COMMAND_INVALID_NAME"]);
  });

  it("refuses descriptions outside 1–100 and more than 25 options or choices", () => {
    expect(commandIssues({ name: "ok", description: "" })).toEqual(["description BASE_TYPE_BAD_LENGTH"]);
    expect(commandIssues({ name: "ok", description: "x".repeat(101) })).toEqual([
      "description BASE_TYPE_BAD_LENGTH",
    ]);
    const many = Array.from({ length: 26 }, (_, i) => option(`o${i}`));
    expect(commandIssues({ name: "ok", description: "d", options: many })).toEqual([
      "options BASE_TYPE_MAX_LENGTH",
    ]);
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `v${i}` }));
    expect(commandIssues({ name: "ok", description: "d", options: [option("o", { choices })] })).toEqual([
      "options[0].choices BASE_TYPE_MAX_LENGTH",
    ]);
  });

  it("refuses required options after optional ones, choices with autocomplete, and deep nesting", () => {
    expect(
      commandIssues({
        name: "ok",
        description: "d",
        options: [option("a"), option("b", { required: true })],
      }),
    ).toEqual(["options[1].required APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"]);
    expect(
      commandIssues({
        name: "ok",
        description: "d",
        options: [option("a", { autocomplete: true, choices: [{ name: "x", value: "x" }] })],
      }),
    ).toEqual(["options[0].choices APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES"]);
    const sub = (name: string, options: unknown[] = []) => ({ type: 1, name, description: "s", options });
    expect(commandIssues({ name: "ok", description: "d", options: [sub("a", [sub("b")])] })).toEqual([
      "options[0].options[0].type APPLICATION_COMMAND_SUBCOMMAND_NESTING",
    ]);
    expect(
      commandIssues({
        name: "ok",
        description: "d",
        options: [{ type: 2, name: "grp", description: "g", options: [sub("a", [option("x")])] }],
      }),
    ).toEqual([]);
  });

  it("refuses two commands of the same type and name in one overwrite", () => {
    const errors = new FormErrors();
    validateCommandList(errors, [
      { name: "balance", description: "a" },
      { name: "balance", description: "b" },
      { name: "balance", type: 2 },
    ]);
    expect(errors.issues.map((i) => `${i.path} ${i.code}`)).toEqual([
      "[1].name APPLICATION_COMMANDS_DUPLICATE_NAME",
    ]);
  });
});

describe("message rules", () => {
  it("accepts a full picker: 4 rows of buttons and a 25-option select", () => {
    const options = Array.from({ length: 25 }, (_, i) => ({ label: `Item ${i}`, value: `i${i}` }));
    expect(
      messageIssues({
        content: "Pick",
        flags: 64,
        embeds: [{ title: "Picker", fields: [{ name: "Total", value: "$1.00" }] }],
        components: [
          row({ type: 3, custom_id: "v1:pick:s", options, min_values: 0, max_values: 25 }),
          row(...Array.from({ length: 5 }, (_, i) => button(`v1:t:s:${i}`))),
          row(button("v1:prev:s"), button("v1:next:s")),
          row(button("v1:ok:s", { style: 3 }), {
            type: 2,
            style: 5,
            label: "Steam",
            url: "https://steamcommunity.com",
          }),
        ],
      }),
    ).toEqual([]);
  });

  it("names the exact field Discord would complain about", () => {
    expect(messageIssues({ content: "x".repeat(2001) })).toEqual(["content BASE_TYPE_MAX_LENGTH"]);
    expect(messageIssues({ components: [row(button("a"), button("a"))] })).toEqual([
      "components[0].components[1].custom_id COMPONENT_CUSTOM_ID_DUPLICATED",
    ]);
    expect(
      messageIssues({ components: [row(button("a"), { type: 3, custom_id: "s", options: [] })] }),
    ).toEqual([
      "components[0].components COMPONENT_LAYOUT_WIDTH_EXCEEDED",
      "components[0].components[1].options BASE_TYPE_BAD_LENGTH",
      "components[0].components[1].max_values SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS",
    ]);
    expect(
      messageIssues({
        components: [
          row({
            type: 3,
            custom_id: "s",
            options: [{ label: "x".repeat(101), value: "v", description: "d" }],
          }),
        ],
      }),
    ).toEqual(["components[0].components[0].options[0].label BASE_TYPE_BAD_LENGTH"]);
    expect(
      messageIssues({ components: [row({ type: 2, style: 5, label: "Go", url: "javascript:alert(1)" })] }),
    ).toEqual(["components[0].components[0].url URL_TYPE_INVALID_URL"]);
    expect(messageIssues({ embeds: [{ title: "t", author: {} }] })).toEqual([
      "embeds[0].author.name BASE_TYPE_REQUIRED",
    ]);
  });

  it("keeps Components V2 messages free of content and within 40 components", () => {
    const text = { type: 10, content: "Hello" };
    expect(messageIssues({ flags: 1 << 15, components: [text] })).toEqual([]);
    expect(messageIssues({ flags: 1 << 15, content: "hi", components: [text] })).toEqual([
      "content MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    ]);
    const container = { type: 17, components: Array.from({ length: 40 }, () => text) };
    expect(messageIssues({ flags: 1 << 15, components: [container] })).toEqual([
      "components BASE_TYPE_MAX_LENGTH",
    ]);
  });

  it("builds Discord's nested error tree", () => {
    const errors = new FormErrors(["data"]);
    validateMessageBody(errors, [], { components: [row(button("x".repeat(101)))] }, { allowEphemeral: true });
    expect(errors.toBody()).toEqual({
      code: 50035,
      message: "Invalid Form Body",
      errors: {
        data: {
          components: {
            "0": {
              components: {
                "0": {
                  custom_id: {
                    _errors: [
                      { code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length." },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    });
  });
});

describe("modal and autocomplete rules", () => {
  const input = { type: 4, custom_id: "price", style: 1, label: "Price" };

  it("accepts legacy rows and labels, refuses long titles and non-input rows", () => {
    const errors = new FormErrors();
    validateModal(errors, [], {
      custom_id: "m",
      title: "Price",
      components: [
        row(input),
        { type: 18, label: "Note", component: { type: 4, custom_id: "note", style: 2 } },
      ],
    });
    expect(errors.issues).toEqual([]);

    const bad = new FormErrors();
    validateModal(bad, [], { custom_id: "m", title: "x".repeat(46), components: [row(button("b"))] });
    expect(bad.issues.map((i) => `${i.path} ${i.code}`)).toEqual([
      "title BASE_TYPE_BAD_LENGTH",
      "components[0].components MODAL_ACTION_ROW_INVALID",
    ]);
  });

  it("caps autocomplete results at 25 choices", () => {
    const errors = new FormErrors();
    validateAutocompleteResult(errors, [], {
      choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `v${i}` })),
    });
    expect(errors.issues.map((i) => `${i.path} ${i.code}`)).toEqual(["choices BASE_TYPE_MAX_LENGTH"]);
  });
});

describe("rate-limit buckets", () => {
  it("groups paths exactly as @discordjs/rest does", () => {
    const generate = (REST as unknown as { generateRouteData(path: string, method: string): unknown })
      .generateRouteData;
    for (const path of [
      "/channels/1300000000000000200/messages",
      "/webhooks/1300000000000000001/aW50ZXJhY3Rpb24/messages/@original",
      "/interactions/1300000000000000999/aW50ZXJhY3Rpb24/callback",
      "/guilds/1300000000000000100/members/1300000000000001001",
      "/users/@me/channels",
    ]) {
      const ours = bucketRouteOf(path);
      expect(generate(path, "POST")).toMatchObject({ bucketRoute: ours.bucketRoute });
    }
  });
});

describe("gateway handshake refusals", () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake.close();
  });

  function closeCode(query: string, identify?: unknown): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${fake.gatewayUrl}?${query}`);
      socket.on("message", (raw) => {
        const payload = JSON.parse(raw.toString()) as { op: number };
        if (payload.op === 10 && identify) socket.send(JSON.stringify(identify));
      });
      socket.on("close", (code) => resolve(code));
      socket.on("error", reject);
    });
  }

  it("closes with Discord's codes for a wrong version, a bad token and a premature request", async () => {
    expect(await closeCode("v=9&encoding=json")).toBe(4012);
    expect(
      await closeCode("v=10&encoding=json", { op: 2, d: { token: "wrong", intents: 1, properties: {} } }),
    ).toBe(4004);
    expect(await closeCode("v=10&encoding=json", { op: 3, d: { status: "online" } })).toBe(4003);
    expect(await closeCode("v=10&encoding=json", { op: 99, d: null })).toBe(4001);
  });
});

describe("rate limits", () => {
  it("counts the global limit over any rolling second, leaving interaction responses out", () => {
    let t = 10_000;
    const limiter = createRateLimiter([], () => t, 50);
    const post = (path: string) => limiter.check("POST", path);
    // 50 at the end of one second and 1 at the start of the next: a fixed window would let it through.
    t = 10_900;
    for (let i = 0; i < 50; i++) expect(post("/channels/1300000000000000001/messages")).toBeNull();
    t = 11_000;
    expect(post("/users/@me/channels")).toMatchObject({
      limited: true,
      global: true,
      retryAfterSeconds: 0.9,
    });
    expect(post("/interactions/1300000000000000009/tok/callback")).toBeNull();
    t = 11_900;
    expect(post("/users/@me/channels")).toBeNull();
  });

  it("counts a bucket over any rolling window and says when it frees up", () => {
    let t = 0;
    const limiter = createRateLimiter(
      [{ method: "POST", route: "/channels/:id/messages", limit: 5, windowMs: 5_000 }],
      () => t,
    );
    const send = () => limiter.check("POST", "/channels/1300000000000000001/messages");
    for (let i = 0; i < 5; i++) {
      t = 4_000 + i * 100;
      expect(send()?.limited).toBe(false);
    }
    t = 5_000;
    expect(send()).toMatchObject({ limited: true, retryAfterSeconds: 4 });
    t = 9_000;
    expect(send()?.headers["x-ratelimit-remaining"]).toBe("0");
  });
});
