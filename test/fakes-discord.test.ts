import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  REST,
  Routes,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_GUILD_ID,
  type FakeDiscord,
  findComponent,
  type InteractionHandle,
  startFakeDiscord,
} from "./fakes/discord/index.ts";

const ALICE = "1300000000000001001";
const BRUNO = "1300000000000001002";
const CAROL = "1300000000000001003";

const COMMANDS = [
  {
    name: "deposit",
    description: "Deposit skins for balance",
    description_localizations: { "pt-BR": "Depositar skins" },
    options: [
      {
        type: 3,
        name: "game",
        description: "Which game",
        required: true,
        choices: [
          { name: "CS2", value: "730" },
          { name: "Rust", value: "252490" },
        ],
      },
    ],
  },
  {
    name: "withdraw",
    description: "Withdraw a skin",
    options: [{ type: 3, name: "item", description: "Item to withdraw", required: true, autocomplete: true }],
  },
];

async function startClient(fake: FakeDiscord): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  return client;
}

function nextInteraction<T extends Interaction>(client: Client, timeoutMs = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (interaction: Interaction) => {
      clearTimeout(timer);
      resolve(interaction as T);
    };
    const timer = setTimeout(() => {
      client.off(Events.InteractionCreate, listener);
      reject(new Error(`the client received no interaction within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once(Events.InteractionCreate, listener);
  });
}

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordAPIError))
    throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
  return error;
}

function confirmRow(customId: string) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId).setLabel("Confirm").setStyle(ButtonStyle.Success),
  );
}

describe("fake Discord, driven by the real discord.js client", () => {
  let fake: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      heartbeatIntervalMs: 200,
      closedDms: new Set([CAROL]),
      guilds: [
        {
          id: DEFAULT_GUILD_ID,
          name: "Skin Traders",
          members: [
            { id: ALICE, username: "alice", globalName: "Alice" },
            { id: BRUNO, username: "bruno" },
            { id: CAROL, username: "carol" },
          ],
        },
      ],
    });
    client = await startClient(fake);
    await client.application?.commands.set(COMMANDS);
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  beforeEach(() => {
    fake.violations.splice(0);
  });

  it("logs in over the gateway and stays alive with acknowledged heartbeats", async () => {
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(client.guilds.cache.get(DEFAULT_GUILD_ID)?.name).toBe("Skin Traders");
    const gatewayCall = fake.calls.find((c) => c.path === "/gateway/bot");
    expect(gatewayCall?.headers.authorization).toBe("[REDACTED]");
    const everything = JSON.stringify(fake.calls, (_key, value) =>
      typeof value === "bigint" ? String(value) : value,
    );
    expect(everything).not.toContain(fake.token);

    const session = await fake.waitFor((f) => f.gatewaySessions().find((s) => s.heartbeats >= 2));
    expect(session.intents).toBe(GatewayIntentBits.Guilds);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it("stores the registered commands and refuses a definition Discord would reject", async () => {
    expect(fake.commands().map((c) => c.name)).toEqual(["deposit", "withdraw"]);

    const error = await apiError(
      client.application!.commands.create({ name: "Balance", description: "x".repeat(101) }),
    );
    expect(error.code).toBe(50035);
    expect(error.message).toContain("name");
    expect(error.message).toContain("description");
    expect(fake.violations.map((v) => v.kind)).toEqual(["invalid_form_body"]);
    expect(fake.commands()).toHaveLength(2);
  });

  it("records a deferred ephemeral reply, its edit, and a button press that updates the same message", async () => {
    const received = nextInteraction<ChatInputCommandInteraction>(client);
    const command = fake.dispatchInteraction({
      type: "command",
      name: "deposit",
      userId: ALICE,
      locale: "pt-BR",
      options: { game: "730" },
    });
    const slash = await received;
    expect(slash.commandName).toBe("deposit");
    expect(slash.options.getString("game")).toBe("730");
    expect(slash.locale).toBe("pt-BR");
    expect(slash.member?.user.id).toBe(ALICE);

    await slash.deferReply({ flags: MessageFlags.Ephemeral });
    const ack = await command.acknowledged;
    expect(ack.type).toBe(5);
    expect(ack.at).toBeGreaterThan(command.dispatchedAt);
    expect(command.original()?.flags).toBe(MessageFlags.Ephemeral | MessageFlags.Loading);

    await slash.editReply({ content: "Pick your skins", components: [confirmRow("v1:confirm:abc")] });
    const original = command.original();
    expect(original?.content).toBe("Pick your skins");
    expect(original?.flags).toBe(MessageFlags.Ephemeral);
    expect(findComponent(original, "v1:confirm:abc")?.label).toBe("Confirm");
    expect(
      fake.calls.filter((c) => c.path.includes(command.token)).map((c) => `${c.method} ${c.status}`),
    ).toEqual(["POST 204", "PATCH 200"]);

    const pressed = nextInteraction<ButtonInteraction>(client);
    const press = fake.dispatchInteraction({
      type: "button",
      customId: "v1:confirm:abc",
      messageId: original!.id,
      userId: ALICE,
    });
    const button = await pressed;
    expect(button.isButton()).toBe(true);
    expect(button.customId).toBe("v1:confirm:abc");
    expect(button.message.id).toBe(original!.id);

    await button.deferUpdate();
    await button.editReply({ content: "Deposit sent", components: [] });
    expect((await press.acknowledged).type).toBe(6);
    expect(fake.message(original!.id)).toMatchObject({ content: "Deposit sent", components: [] });
    expect(fake.messageHistory(original!.id).map((m) => m.content)).toEqual([
      "",
      "Pick your skins",
      "Deposit sent",
    ]);
    expect(fake.violations).toEqual([]);
  });

  it("refuses a second initial response with 40060 when two instances race for one interaction", async () => {
    const second = await startClient(fake);
    try {
      const got = [
        nextInteraction<ChatInputCommandInteraction>(client),
        nextInteraction<ChatInputCommandInteraction>(second),
      ];
      const handle = fake.dispatchInteraction({
        type: "command",
        name: "deposit",
        userId: BRUNO,
        options: { game: "252490" },
      });
      const results = await Promise.allSettled(
        (await Promise.all(got)).map((i) => i.reply({ content: "on it", flags: MessageFlags.Ephemeral })),
      );
      const rejected = results.filter((r) => r.status === "rejected");
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      const reason = (rejected[0] as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(DiscordAPIError);
      expect((reason as DiscordAPIError).code).toBe(40060);
      expect(handle.original()?.content).toBe("on it");
      expect(fake.violations.map((v) => v.kind)).toEqual(["interaction_already_acknowledged"]);
    } finally {
      await second.destroy();
    }
  });

  it("refuses a custom_id over 100 characters and other oversized components as violations", async () => {
    const received = nextInteraction<ChatInputCommandInteraction>(client);
    const handle = fake.dispatchInteraction({
      type: "command",
      name: "deposit",
      userId: ALICE,
      options: { game: "730" },
    });
    const slash = await received;

    // Raw component data passes discord.js untouched, so only the fake stands between this and production.
    const longId = { type: 2, style: 1, label: "Confirm", custom_id: "x".repeat(101) };
    const tooLong = await apiError(
      slash.reply({ content: "x", components: [{ type: 1, components: [longId] }] }),
    );
    expect(tooLong.code).toBe(50035);
    expect(tooLong.message).toContain("data.components[0].components[0].custom_id");
    expect(handle.ack()).toBeNull();
    expect(fake.violations).toHaveLength(1);
    expect(fake.violations[0]?.message).toContain("custom_id");

    // discord.js's builders would catch some of these client-side; the raw API must refuse them all.
    await slash.deferReply({ flags: MessageFlags.Ephemeral });
    fake.violations.splice(0);
    const edit = (body: unknown) =>
      client.rest.patch(Routes.webhookMessage(fake.applicationId, handle.token, "@original"), {
        body,
        auth: false,
      });
    const button = (i: number) => ({ type: 2, style: 1, label: `b${i}`, custom_id: `b${i}` });
    const invalid: unknown[] = [
      { content: "x".repeat(2001) },
      { components: Array.from({ length: 6 }, (_, i) => ({ type: 1, components: [button(i)] })) },
      { components: [{ type: 1, components: Array.from({ length: 6 }, (_, i) => button(i)) }] },
      { components: [{ type: 1, components: [{ type: 2, style: 5, label: "Open" }] }] },
      {
        components: [
          {
            type: 1,
            components: [{ type: 2, style: 5, label: "Open", url: "https://a.example", custom_id: "c" }],
          },
        ],
      },
      {
        components: [{ type: 1, components: [{ type: 2, style: 1, label: "x".repeat(81), custom_id: "c" }] }],
      },
      {
        components: [
          {
            type: 1,
            components: [
              {
                type: 3,
                custom_id: "s",
                options: Array.from({ length: 26 }, (_, i) => ({ label: `o${i}`, value: `v${i}` })),
              },
            ],
          },
        ],
      },
      {
        components: [
          {
            type: 1,
            components: [
              {
                type: 3,
                custom_id: "s",
                min_values: 3,
                max_values: 2,
                options: [{ label: "a", value: "a" }],
              },
            ],
          },
        ],
      },
      { embeds: [{ title: "x".repeat(257) }] },
      { embeds: Array.from({ length: 11 }, () => ({ title: "t" })) },
      { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: "n", value: "v" })) }] },
      { embeds: [{ description: "x".repeat(4096) }, { description: "y".repeat(2000) }] },
    ];
    for (const body of invalid) expect((await apiError(edit(body))).code).toBe(50035);
    expect(fake.violations.map((v) => v.kind)).toEqual(invalid.map(() => "invalid_form_body"));
    expect(handle.original()?.content).toBe("");
  });

  it("refuses a webhook edit before the initial response", async () => {
    const received = nextInteraction<ChatInputCommandInteraction>(client);
    const handle = fake.dispatchInteraction({
      type: "command",
      name: "deposit",
      userId: ALICE,
      options: { game: "730" },
    });
    const slash = await received;
    const error = await apiError(slash.webhook.editMessage("@original", { content: "too early" }));
    expect(error.code).toBe(10015);
    expect(fake.violations.map((v) => v.kind)).toEqual(["webhook_before_ack"]);
    await slash.reply({ content: "now", flags: MessageFlags.Ephemeral });
    expect(handle.original()?.content).toBe("now");
  });

  it("refuses an initial response after the acknowledgement deadline with 10062", async () => {
    const received = nextInteraction<ChatInputCommandInteraction>(client);
    const handle = fake.dispatchInteraction({
      type: "command",
      name: "deposit",
      userId: ALICE,
      options: { game: "730" },
      ackDeadlineMs: 30,
    });
    const slash = await received;
    await expect(handle.acknowledged).rejects.toThrow(/not acknowledged within 30 ms/);
    const error = await apiError(slash.deferReply({ flags: MessageFlags.Ephemeral }));
    expect(error.code).toBe(10062);
    expect(fake.violations.map((v) => v.kind)).toEqual(["interaction_ack_too_late"]);
    expect(handle.ack()).toBeNull();
  });

  it("shows a modal from a button and hands the submission back to the client", async () => {
    const received = nextInteraction<ChatInputCommandInteraction>(client);
    const command = fake.dispatchInteraction({
      type: "command",
      name: "deposit",
      userId: BRUNO,
      options: { game: "730" },
    });
    await (await received).reply({ content: "Set a price", components: [confirmRow("v1:price:s1")] });

    const pressed = nextInteraction<ButtonInteraction>(client);
    const press: InteractionHandle = fake.dispatchInteraction({
      type: "button",
      customId: "v1:price:s1",
      messageId: command.original()!.id,
      userId: BRUNO,
    });
    const modal = new ModalBuilder()
      .setCustomId("v1:price-modal:s1")
      .setTitle("Price")
      .addLabelComponents(
        new LabelBuilder()
          .setLabel("Price in USD")
          .setTextInputComponent(new TextInputBuilder().setCustomId("price").setStyle(TextInputStyle.Short)),
      );
    await (await pressed).showModal(modal);
    expect((await press.acknowledged).type).toBe(9);
    expect(press.modal()?.title).toBe("Price");

    const submitted = nextInteraction<ModalSubmitInteraction>(client);
    const submit = fake.dispatchInteraction({
      type: "modal",
      customId: "v1:price-modal:s1",
      fields: { price: "12.50" },
      from: press,
    });
    const modalSubmit = await submitted;
    expect(modalSubmit.fields.getTextInputValue("price")).toBe("12.50");
    if (!modalSubmit.isFromMessage()) throw new Error("expected a modal opened from a message");
    await modalSubmit.update({ content: "Price set to $12.50", components: [] });
    expect((await submit.acknowledged).type).toBe(7);
    expect(command.original()?.content).toBe("Price set to $12.50");
    expect(fake.violations).toEqual([]);
  });

  it("passes the typed text to autocomplete and records the choices", async () => {
    const received = nextInteraction<Interaction>(client);
    const handle = fake.dispatchInteraction({
      type: "autocomplete",
      name: "withdraw",
      userId: ALICE,
      focused: "item",
      options: { item: "awp" },
    });
    const interaction = await received;
    if (!interaction.isAutocomplete()) throw new Error("expected an autocomplete interaction");
    expect(interaction.options.getFocused(true)).toMatchObject({ name: "item", value: "awp" });
    await interaction.respond([{ name: "AWP | Asiimov (Field-Tested)", value: "item-1" }]);
    expect(await handle.acknowledged).toMatchObject({
      type: 8,
      data: { choices: [{ name: "AWP | Asiimov (Field-Tested)", value: "item-1" }] },
    });
    expect(fake.violations).toEqual([]);
  });

  it("delivers DMs to open members and refuses closed DMs with 50007", async () => {
    await client.users.send(ALICE, "Your deposit completed");
    expect(fake.dmsTo(ALICE).map((m) => m.content)).toEqual(["Your deposit completed"]);

    const error = await apiError(client.users.send(CAROL, "Your withdrawal failed"));
    expect(error.code).toBe(50007);
    expect(error.status).toBe(403);
    expect(fake.dmsTo(CAROL)).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it("rate-limits a bucket with headers the client obeys and a 429 another instance backs off from", async () => {
    fake.addRateLimit({ method: "POST", route: "/channels/:id/messages", limit: 1, windowMs: 300 });
    const dm = await client.users.createDM(BRUNO);
    const route = `/channels/${dm.id}/messages`;

    await dm.send("first");
    await dm.send("second");
    const otherInstance = new REST({ api: fake.apiBase }).setToken(fake.token);
    await otherInstance.post(Routes.channelMessages(dm.id), { body: { content: "from another instance" } });

    expect(fake.dmsTo(BRUNO).map((m) => m.content)).toEqual(["first", "second", "from another instance"]);
    const attempts = fake.calls.filter((c) => c.path === route);
    expect(attempts.filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(1);
    // Whatever the clients tried, the bucket let one message through per window, and both waited it out.
    const delivered = attempts.filter((c) => c.status === 200).map((c) => c.at);
    const gapMs = (a: bigint | undefined, b: bigint | undefined) => Number((b ?? 0n) - (a ?? 0n)) / 1e6;
    expect(gapMs(delivered[0], delivered[1])).toBeGreaterThanOrEqual(280);
    expect(gapMs(delivered[1], delivered[2])).toBeGreaterThanOrEqual(280);
  });

  it("uploads attachments as multipart and lets the first follow-up replace the deferred placeholder", async () => {
    const received = nextInteraction<ChatInputCommandInteraction>(client);
    const handle = fake.dispatchInteraction({
      type: "command",
      name: "deposit",
      userId: ALICE,
      options: { game: "730" },
    });
    const slash = await received;
    await slash.deferReply({ flags: MessageFlags.Ephemeral });
    await slash.followUp({
      content: "Receipt",
      files: [{ attachment: Buffer.from("trade 42"), name: "receipt.txt" }],
    });

    const upload = fake.calls.find((c) => c.method === "POST" && c.path.endsWith(handle.token));
    expect(upload?.headers["content-type"]).toMatch(/^multipart\/form-data/);
    expect(upload?.files).toEqual([expect.objectContaining({ name: "receipt.txt", size: 8 })]);
    expect(handle.original()).toMatchObject({ content: "Receipt", flags: MessageFlags.Ephemeral });
    expect(handle.original()?.attachments.map((a) => a.filename)).toEqual(["receipt.txt"]);
    expect(handle.followUps()).toEqual([]);

    await slash.followUp({ content: "Second note", flags: MessageFlags.Ephemeral });
    expect(handle.followUps().map((m) => m.content)).toEqual(["Second note"]);
    expect(fake.violations).toEqual([]);
  });

  it("resumes a dropped gateway session and replays the interaction it missed", async () => {
    const resumed = new Promise<void>((resolve) => client.once(Events.ShardResume, () => resolve()));
    fake.disconnectGateway();
    await fake.waitFor((f) => f.gatewaySessions().every((s) => !s.connected));

    const received = nextInteraction<ChatInputCommandInteraction>(client);
    const handle = fake.dispatchInteraction({
      type: "command",
      name: "deposit",
      userId: ALICE,
      options: { game: "730" },
    });
    await resumed;
    await (await received).reply({ content: "still here", flags: MessageFlags.Ephemeral });
    expect(handle.original()?.content).toBe("still here");
    expect(fake.gatewaySessions().filter((s) => !s.invalidated)).toEqual([
      expect.objectContaining({ connected: true, resumes: 1 }),
    ]);
  });

  it("returns the created message when the client asks for the callback response", async () => {
    const received = nextInteraction<ChatInputCommandInteraction>(client);
    const handle = fake.dispatchInteraction({
      type: "command",
      name: "deposit",
      userId: ALICE,
      options: { game: "730" },
    });
    const response = await (await received).reply({
      content: "Deposit started",
      flags: MessageFlags.Ephemeral,
      withResponse: true,
    });
    expect(response.interaction.id).toBe(handle.id);
    expect(response.interaction.responseMessageEphemeral).toBe(true);
    expect(response.resource?.message?.id).toBe(handle.original()?.id);
    expect(response.resource?.message?.content).toBe("Deposit started");
  });

  it("serves guild members and users the client fetches", async () => {
    const member = await client.guilds.cache.get(DEFAULT_GUILD_ID)!.members.fetch(ALICE);
    expect(member.user.globalName).toBe("Alice");
    expect((await client.users.fetch(BRUNO, { force: true })).username).toBe("bruno");
    expect(fake.violations).toEqual([]);
  });

  it("answers unknown routes and bad tokens the way Discord does", async () => {
    const unknown = await apiError(client.rest.get(`/guilds/${DEFAULT_GUILD_ID}/bans`));
    expect([unknown.status, unknown.code]).toEqual([404, 0]);

    const stranger = new REST({ api: fake.apiBase }).setToken("not-the-token");
    const unauthorized = await apiError(stranger.get(Routes.user("@me")));
    expect(unauthorized.status).toBe(401);
    expect(fake.violations.map((v) => v.kind)).toEqual(["unknown_route", "unauthorized"]);
  });
});
