/**
 * A Discord member's journeys end to end: the app as production builds it (Redis, the AssetPay
 * sandbox over HTTP, signed callbacks), the real discord.js client on a fake Discord that enforces
 * Discord's rules, and assertions on what the member sees (messages, DMs) and on the ledger.
 */
import type { APIMessage } from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { getAs } from "../../src/core/kv.ts";
import type { PickerSession } from "../../src/core/picker.ts";
import { parseTradeUrl } from "../../src/core/steam.ts";
import { decodeAction } from "../../src/ui/action-id.ts";
import { DEFAULT_CHANNEL_ID } from "../fakes/discord/index.ts";
import { eventually } from "../support/app-harness.ts";
import {
  buttonId,
  buttons,
  type DiscordWorld,
  interact,
  linkOnDiscord,
  selectMenu,
  startDiscordWorld,
  TWO_PAGE_PARTNER,
  textOf,
  tradeUrl,
  USERS,
} from "./support-discord.ts";

let world: DiscordWorld;

beforeAll(async () => {
  world = await startDiscordWorld({ redisUrl: inject("redisUrl") });
});

afterAll(async () => {
  await world?.close();
});

afterEach(() => {
  expect(world.fake.violations).toEqual([]);
  expect(world.app.core.i18n.problems()).toEqual([]);
});

const memberId = (userId: string) => `discord:${userId}`;

const link = (userId: string, partner: number, token = "e2eTOKEN") =>
  linkOnDiscord(world.fake, userId, tradeUrl(partner, token));

describe("linking a Steam account", () => {
  it("links from the trade_url option and answers in an ephemeral message", async () => {
    const { handle, message } = await interact(world.fake, {
      type: "command",
      name: "link",
      userId: USERS.alice,
      options: { trade_url: tradeUrl(TWO_PAGE_PARTNER) },
    });
    expect((await handle.acknowledged).type).toBe(5);
    expect(message.flags).toBe(64);
    expect(textOf(message)).toContain("Linked! Steam account 76561197960365755");
    const linked = await world.app.core.accounts.get(memberId(USERS.alice));
    expect(linked?.steamId).toBe("76561197960365755");
  });

  it("asks for the trade URL in a modal when the option is left out, and links from the answer", async () => {
    const ask = world.fake.dispatchInteraction({ type: "command", name: "link", userId: USERS.jules });
    expect((await ask.acknowledged).type).toBe(9);
    const modal = ask.modal();
    expect(modal?.title).toBe("Link your Steam account");
    const { message } = await interact(world.fake, {
      type: "modal",
      from: ask,
      customId: String(modal?.custom_id),
      fields: { trade_url: tradeUrl(200001) },
    });
    expect(textOf(message)).toContain("Linked! Steam account");
    expect((await world.app.core.accounts.get(memberId(USERS.jules)))?.tradeUrl).toBe(tradeUrl(200001));
  });
});

describe("languages", () => {
  it("answers in the language the member's Discord client reports", async () => {
    const { fake, app } = world;
    const { message } = await interact(fake, {
      type: "command",
      name: "balance",
      userId: USERS.mia,
      locale: "ru",
    });
    expect(message.embeds?.[0]?.title).toBe(app.core.i18n.t("ru", "balance.title"));
    expect((await app.core.members.get(memberId(USERS.mia))).locale).toBe("ru");
  });
});

describe("depositing", () => {
  it("pages a multi-select across two pages, confirms, and DMs the credit once the trade completes", async () => {
    const { fake, sandbox, app } = world;
    const opened = await interact(fake, {
      type: "command",
      name: "deposit",
      userId: USERS.alice,
      options: { game: "cs2" },
    });
    const pickerId = opened.message.id;
    expect(opened.message.flags).toBe(64);
    expect(textOf(opened.message)).toContain("Page 1 of 2");
    expect(selectMenu(opened.message).options).toHaveLength(25);
    // Items are chosen in the select menu on Discord, and the hint says so.
    expect(textOf(opened.message)).toContain("Choose items in the menu below.");
    expect(textOf(opened.message)).not.toContain("Tap items");

    const first = selectMenu(opened.message);
    const chosen = first.options.slice(0, 2);
    let step = await interact(fake, {
      type: "select",
      userId: USERS.alice,
      messageId: pickerId,
      customId: first.custom_id,
      values: chosen.map((o) => o.value),
    });
    expect((await step.handle.acknowledged).type).toBe(6);
    expect(step.message.id).toBe(pickerId);
    expect(textOf(step.message)).toContain("2 items selected");

    step = await interact(fake, {
      type: "button",
      userId: USERS.alice,
      messageId: pickerId,
      customId: buttonId(step.message, "Next"),
    });
    expect(textOf(step.message)).toContain("Page 2 of 2");
    const second = selectMenu(step.message);
    step = await interact(fake, {
      type: "select",
      userId: USERS.alice,
      messageId: pickerId,
      customId: second.custom_id,
      values: [second.options[0]?.value ?? ""],
    });
    expect(textOf(step.message)).toContain("3 items selected");

    step = await interact(fake, {
      type: "button",
      userId: USERS.alice,
      messageId: pickerId,
      customId: buttonId(step.message, "Confirm"),
    });
    const receipt = textOf(step.message);
    expect(step.message.id).toBe(pickerId);
    expect(receipt).toContain("Deposit started");
    for (const o of [...chosen, second.options[0]]) expect(receipt).toContain(o?.label);
    expect(receipt).toContain("State: Starting");

    const trades = sandbox.trades.list().filter((t) => t.clientSteamID === "76561197960365755");
    expect(trades).toHaveLength(1);
    const trade = trades[0];
    const record = await app.core.records.byTradeId(String(trade?.id));
    expect(record?.items).toHaveLength(3);

    await sandbox.clock.advance(8 * 86_400);
    const dms = await fake.waitFor((f) => {
      const all = f.dmsTo(USERS.alice);
      return all.some((m) => textOf(m).includes("Deposit complete")) && all;
    });
    const offer = dms.find((m) => textOf(m).includes("Your deposit offer is ready"));
    expect(buttons(offer!)).toEqual([
      {
        label: "View trade offer",
        disabled: false,
        url: expect.stringMatching(/^https:\/\/steamcommunity\.com\/tradeoffer\/\d+\/$/),
      },
    ]);
    const credited = dms.find((m) => textOf(m).includes("Deposit complete"));
    expect(credited?.embeds?.[0]?.color).toBe(0x57f287);
    const balance = await app.core.ledger.balance(memberId(USERS.alice));
    expect(balance).toMatchObject({ availableCents: record?.totalCents, heldCents: 0 });
    expect(textOf(credited)).toContain(`New balance: $${((record?.totalCents ?? 0) / 100).toFixed(2)}`);
  });
});

async function adjust(adminId: string, userId: string, amount: string, reason: string) {
  return interact(world.fake, {
    type: "command",
    name: "admin",
    subcommand: "adjust",
    userId: adminId,
    options: { member: userId, amount, reason },
  });
}

/** Autocompletes `typed` for /withdraw's item option and returns Discord's choices. */
async function suggestions(userId: string, typed: string) {
  const handle = world.fake.dispatchInteraction({
    type: "autocomplete",
    name: "withdraw",
    userId,
    focused: "item",
    options: { item: typed },
  });
  const ack = await handle.acknowledged;
  expect(ack.type).toBe(8);
  return (ack.data as { choices: { name: string; value: string }[] }).choices;
}

describe("acknowledging", () => {
  it("acknowledges a command and a button press before reading the store or calling AssetPay", async () => {
    const { fake, app } = world;
    await link(USERS.lee, 100041);
    const acknowledgedBefore: boolean[] = [];
    const latestAcknowledged = () => fake.interactions().at(-1)?.ack() != null;
    const touch = app.core.members.touch.bind(app.core.members);
    const inventory = app.core.client.inventory.bind(app.core.client);
    const spies = [
      vi.spyOn(app.core.members, "touch").mockImplementation((ref) => {
        acknowledgedBefore.push(latestAcknowledged());
        return touch(ref);
      }),
      vi.spyOn(app.core.client, "inventory").mockImplementation((...args) => {
        acknowledgedBefore.push(latestAcknowledged());
        return inventory(...args);
      }),
    ];
    try {
      const { picker } = await openDeposit(USERS.lee);
      await interact(fake, {
        type: "button",
        userId: USERS.lee,
        messageId: picker.id,
        customId: buttonId(picker, "Refresh"),
      });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(acknowledgedBefore.length).toBeGreaterThanOrEqual(4);
    expect(acknowledgedBefore.every(Boolean)).toBe(true);
  });
});

/** The custom_id of the button labelled exactly `label` ("−1" is not "−10"). */
function exactButtonId(message: APIMessage, label: string): string {
  for (const row of (message.components ?? []) as {
    components: { label?: string; custom_id?: string }[];
  }[]) {
    const found = row.components.find((c) => c.label === label && c.custom_id);
    if (found?.custom_id) return found.custom_id;
  }
  throw new Error(`no button "${label}"`);
}

describe("a Rust stack", () => {
  it("deposits the quantity chosen with the buttons, priced per unit and in total, credited exactly", async () => {
    const { fake, app, sandbox } = world;
    // Sandbox inventories are rolled per Steam account: find one holding a tradable stack.
    let partner = 900_001;
    let stack: { name: string; amount: number; priceCents: number } | undefined;
    for (; partner < 900_040 && !stack; partner++) {
      const url = tradeUrl(partner);
      const steamId = parseTradeUrl(url)?.steamId ?? "";
      const { items } = await app.core.client.inventory(
        { memberId: "probe", steamId, tradeUrl: url },
        { game: "252490", limit: -1 },
      );
      const found = items.find(
        (i) => i.amount >= 3 && i.tradable && i.accepted !== false && (i.priceCents ?? 0) > 0,
      );
      if (found) stack = { name: found.name, amount: found.amount, priceCents: found.priceCents ?? 0 };
    }
    if (!stack) throw new Error("no Steam account with a Rust stack");
    await link(USERS.erin, partner - 1);
    const money = (cents: number) => app.core.i18n.money("en", cents);

    let picker = (
      await interact(fake, {
        type: "command",
        name: "deposit",
        userId: USERS.erin,
        options: { game: "rust" },
      })
    ).message;
    let option = selectMenu(picker).options.find((o) => o.label === stack.name);
    for (let page = 0; !option && page < 3; page++) {
      picker = (
        await interact(fake, {
          type: "button",
          userId: USERS.erin,
          messageId: picker.id,
          customId: buttonId(picker, "Next"),
        })
      ).message;
      option = selectMenu(picker).options.find((o) => o.label === stack.name);
    }
    if (!option)
      throw new Error(`${stack.name} is not in the picker: ${JSON.stringify(selectMenu(picker).options)}`);
    expect(option.description).toBe(
      `${stack.amount} × ${money(stack.priceCents)} each · ${money(stack.priceCents * stack.amount)}`,
    );
    picker = (
      await interact(fake, {
        type: "select",
        userId: USERS.erin,
        messageId: picker.id,
        customId: selectMenu(picker).custom_id,
        values: [option.value],
      })
    ).message;
    expect(textOf(picker)).toContain(`How many ${stack.name}: ${stack.amount} of ${stack.amount}`);
    picker = (
      await interact(fake, {
        type: "button",
        userId: USERS.erin,
        messageId: picker.id,
        customId: exactButtonId(picker, "−1"),
      })
    ).message;
    const chosen = stack.amount - 1;
    const cents = stack.priceCents * chosen;
    expect(textOf(picker)).toContain(`${chosen} of ${stack.amount} × ${money(stack.priceCents)} each`);
    expect(textOf(picker)).toContain(`1 item selected · Total: ${money(cents)}`);

    const receipt = await interact(fake, {
      type: "button",
      userId: USERS.erin,
      messageId: picker.id,
      customId: buttonId(picker, "Confirm"),
    });
    expect(textOf(receipt.message)).toContain(`get ${money(cents)} in balance`);
    await sandbox.idle();
    expect(
      sandbox.trades
        .list()
        .at(-1)
        ?.items.map((i) => i.amount),
    ).toEqual([chosen]);
    const before = (await app.core.ledger.balance(memberId(USERS.erin))).availableCents;
    for (const seconds of [70, 8 * 86_400]) await sandbox.clock.advance(seconds);
    await eventually(async () => {
      expect((await app.core.ledger.balance(memberId(USERS.erin))).availableCents).toBe(before + cents);
    });
  });
});

describe("withdrawing", () => {
  it("tells a locked member so before any market search: in autocomplete, instead of the modal, on submit", async () => {
    const { fake, sandbox, app } = world;
    const member = memberId(USERS.jules);
    await app.core.members.update(member, (p) => ({
      ...p,
      locked: { reason: "ticket", by: "test", at: "" },
    }));
    const locked = "Your account is locked, so you can't trade right now. Please contact a moderator.";
    const requests = sandbox.requestLog.length;
    try {
      expect(await suggestions(USERS.jules, "AK-47 | Red")).toEqual([{ name: locked, value: "-" }]);

      const ask = fake.dispatchInteraction({ type: "command", name: "withdraw", userId: USERS.jules });
      expect((await ask.acknowledged).type).toBe(4);
      expect(ask.modal()).toBeUndefined();
      expect(textOf(ask.original())).toBe(locked);

      const typed = await interact(fake, {
        type: "command",
        name: "withdraw",
        userId: USERS.jules,
        options: { item: "redline" },
      });
      expect(textOf(typed.message)).toBe(locked);
      expect(sandbox.requestLog.slice(requests)).toEqual([]);
    } finally {
      await app.core.members.update(member, (p) => {
        delete p.locked;
        return p;
      });
    }
  });

  it("finds a skin through autocomplete, withdraws it with balance, and DMs the delivery", async () => {
    const { fake, sandbox, app } = world;
    await link(USERS.bruno, 200002);
    await adjust(USERS.erin, USERS.bruno, "500", "tournament prize");

    const choices = await suggestions(USERS.bruno, "AK-47 | Red");
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    const redline = choices.find((c) => c.name.startsWith("AK-47 | Redline")) ?? choices[0];

    const opened = await interact(fake, {
      type: "command",
      name: "withdraw",
      userId: USERS.bruno,
      options: { item: String(redline?.value) },
    });
    expect(textOf(opened.message)).toContain("Choose skins to withdraw");
    const menu = selectMenu(opened.message);
    const listing = menu.options[0];
    let step = await interact(fake, {
      type: "select",
      userId: USERS.bruno,
      messageId: opened.message.id,
      customId: menu.custom_id,
      values: [String(listing?.value)],
    });
    step = await interact(fake, {
      type: "button",
      userId: USERS.bruno,
      messageId: opened.message.id,
      customId: buttonId(step.message, "Confirm"),
    });
    expect(textOf(step.message)).toContain("Withdrawal requested");
    const record = (await app.core.records.ofMember(memberId(USERS.bruno), 1))[0];
    const price = record?.totalCents ?? 0;
    expect(price).toBeGreaterThan(0);
    expect(await app.core.ledger.balance(memberId(USERS.bruno))).toEqual({
      availableCents: 50_000 - price,
      heldCents: price,
    });

    await sandbox.clock.advance(8 * 86_400);
    const done = await fake.waitFor((f) =>
      f.dmsTo(USERS.bruno).find((m) => textOf(m).includes("Withdrawal complete")),
    );
    expect(done.embeds?.[0]?.color).toBe(0x57f287);
    expect(await app.core.ledger.balance(memberId(USERS.bruno))).toEqual({
      availableCents: 50_000 - price,
      heldCents: 0,
    });
  });

  it("asks which skin in a modal when none was given, then offers the matches as buttons", async () => {
    const { fake } = world;
    await link(USERS.mia, 800001);
    const ask = fake.dispatchInteraction({
      type: "command",
      name: "withdraw",
      userId: USERS.mia,
      options: { game: "cs2" },
    });
    expect((await ask.acknowledged).type).toBe(9);
    const modal = ask.modal();
    expect(modal?.title).toBe("Withdraw a skin");
    const found = await interact(fake, {
      type: "modal",
      from: ask,
      customId: String(modal?.custom_id),
      fields: { item: "AK-47" },
    });
    expect(textOf(found.message)).toContain("Pick the skin you mean");
    const choices = buttons(found.message);
    expect(choices.length).toBeGreaterThan(1);
    const picked = await interact(fake, {
      type: "button",
      userId: USERS.mia,
      messageId: found.message.id,
      customId: buttonId(found.message, choices[0]?.label ?? ""),
    });
    expect(picked.message.id).toBe(found.message.id);
    expect(textOf(picked.message)).toContain("Choose skins to withdraw");
    expect(textOf(picked.message)).toContain(choices[0]?.label);
  });

  it("keeps a member whose balance does not cover the skins in the picker, and starts no trade", async () => {
    const { fake, sandbox, app } = world;
    await link(USERS.frank, 300001);
    const [choice] = await suggestions(USERS.frank, "AWP");
    const opened = await interact(fake, {
      type: "command",
      name: "withdraw",
      userId: USERS.frank,
      options: { item: String(choice?.value) },
    });
    const menu = selectMenu(opened.message);
    let step = await interact(fake, {
      type: "select",
      userId: USERS.frank,
      messageId: opened.message.id,
      customId: menu.custom_id,
      values: [String(menu.options[0]?.value)],
    });
    step = await interact(fake, {
      type: "button",
      userId: USERS.frank,
      messageId: opened.message.id,
      customId: buttonId(step.message, "Confirm"),
    });
    expect(step.message.id).toBe(opened.message.id);
    expect(textOf(step.message)).toMatch(
      /Not enough balance: this costs \$[\d,.]+ and you have \$0\.00 available/,
    );
    expect(selectMenu(step.message).options.length).toBeGreaterThan(0);
    expect(step.message.embeds?.[0]?.color).toBe(0xfee75c);
    const steamId = (await app.core.accounts.get(memberId(USERS.frank)))?.steamId;
    expect(sandbox.trades.list().filter((t) => t.clientSteamID === steamId)).toEqual([]);
    expect(await app.core.ledger.balance(memberId(USERS.frank))).toEqual({ availableCents: 0, heldCents: 0 });
  });
});

async function openDeposit(userId: string) {
  const { message } = await interact(world.fake, {
    type: "command",
    name: "deposit",
    userId,
    options: { game: "cs2" },
  });
  const session = decodeAction(selectMenu(message).custom_id)?.session;
  if (!session) throw new Error("the picker's select carries no session");
  return { picker: message, session };
}

describe("pickers that are not the member's to press", () => {
  it("answers another member's press with a refusal of their own and leaves the picker as it was", async () => {
    const { fake, platform } = world;
    await link(USERS.gina, 400001);
    const { picker } = await openDeposit(USERS.gina);
    // Discord only shows an ephemeral picker to its owner; a picker that ended up in a shared
    // message must still be refused to everyone else.
    const shared = (await platform.client.rest.post(`/channels/${DEFAULT_CHANNEL_ID}/messages`, {
      body: { embeds: picker.embeds, components: picker.components },
    })) as { id: string };
    const before = fake.messageHistory(shared.id).length;

    const press = await interact(fake, {
      type: "button",
      userId: USERS.dana,
      messageId: shared.id,
      customId: buttonId(picker, "Next"),
    });
    expect((await press.handle.acknowledged).type).toBe(5);
    expect(press.message.id).not.toBe(shared.id);
    expect(press.message.flags).toBe(64);
    expect(textOf(press.message)).toContain("This list belongs to someone else");
    expect(fake.messageHistory(shared.id)).toHaveLength(before);
    expect(textOf(fake.message(picker.id))).toContain("Page 1 of");
  });

  it("answers a button left by an older version of the bot as expired", async () => {
    const { fake, platform } = world;
    const old = (await platform.client.rest.post(`/channels/${DEFAULT_CHANNEL_ID}/messages`, {
      body: {
        content: "Pick your skins",
        components: [
          { type: 1, components: [{ type: 2, style: 2, label: "Next", custom_id: "v0|next|42" }] },
        ],
      },
    })) as { id: string };
    const press = await interact(fake, {
      type: "button",
      userId: USERS.dana,
      messageId: old.id,
      customId: "v0|next|42",
    });
    expect(press.message.flags).toBe(64);
    expect(textOf(press.message)).toContain("This list has expired");
    expect(fake.message(old.id)?.content).toBe("Pick your skins");
  });

  it("tells the member a picker expired in a new message when they press it late", async () => {
    const { fake, app } = world;
    await link(USERS.hana, 700001);
    const { picker, session } = await openDeposit(USERS.hana);
    // The picker's 15 minutes are up.
    const stored = await getAs<PickerSession>(app.core.kv.pickers, `picker:${session}`);
    await app.core.kv.pickers.set(`picker:${session}`, { ...stored, expiresAt: Date.now() - 1_000 });
    const before = fake.messageHistory(picker.id).length;

    const press = await interact(fake, {
      type: "button",
      userId: USERS.hana,
      messageId: picker.id,
      customId: buttonId(picker, "Refresh"),
    });
    expect((await press.handle.acknowledged).type).toBe(6);
    expect(press.message.id).not.toBe(picker.id);
    expect(press.message.flags).toBe(64);
    expect(textOf(press.message)).toContain("This list has expired");
    expect(fake.messageHistory(picker.id)).toHaveLength(before);
  });

  it("starts one trade when confirm is clicked twice, and tells the second click so", async () => {
    const { fake, sandbox, app } = world;
    await link(USERS.dana, 600001);
    const { picker } = await openDeposit(USERS.dana);
    const menu = selectMenu(picker);
    const selected = await interact(fake, {
      type: "select",
      userId: USERS.dana,
      messageId: picker.id,
      customId: menu.custom_id,
      values: [String(menu.options[0]?.value)],
    });
    const confirm = buttonId(selected.message, "Confirm");
    const [a, b] = await Promise.all([
      interact(fake, { type: "button", userId: USERS.dana, messageId: picker.id, customId: confirm }),
      interact(fake, { type: "button", userId: USERS.dana, messageId: picker.id, customId: confirm }),
    ]);
    expect([(await a.handle.acknowledged).type, (await b.handle.acknowledged).type]).toEqual([6, 6]);
    const answers = [a, b].map((x) => ({ edited: x.message.id === picker.id, text: textOf(x.message) }));
    expect(answers.filter((x) => x.edited).map((x) => x.text)).toEqual([
      expect.stringContaining("Deposit started"),
    ]);
    expect(answers.filter((x) => !x.edited).map((x) => x.text)).toEqual([
      expect.stringMatching(/You already confirmed this|You already have a trade being set up/),
    ]);
    const steamId = (await app.core.accounts.get(memberId(USERS.dana)))?.steamId;
    expect(sandbox.trades.list().filter((t) => t.clientSteamID === steamId)).toHaveLength(1);
  });
});

describe("members with closed DMs", () => {
  it("keeps their notices for /inbox and tells them once, in their next interaction", async () => {
    const { fake, sandbox, app } = world;
    await link(USERS.carol, 500001);
    const { picker } = await openDeposit(USERS.carol);
    const menu = selectMenu(picker);
    const selected = await interact(fake, {
      type: "select",
      userId: USERS.carol,
      messageId: picker.id,
      customId: menu.custom_id,
      values: [String(menu.options[0]?.value)],
    });
    await interact(fake, {
      type: "button",
      userId: USERS.carol,
      messageId: picker.id,
      customId: buttonId(selected.message, "Confirm"),
    });

    // The offer goes out; its DM is refused with 50007 and the member is marked unreachable.
    await sandbox.clock.advance(10);
    await eventually(async () => {
      expect((await app.core.members.get(memberId(USERS.carol))).unreachable?.reason).toBe("closed DMs");
    });
    expect(fake.dmsTo(USERS.carol)).toEqual([]);

    const next = await interact(fake, { type: "command", name: "balance", userId: USERS.carol });
    expect(textOf(next.message)).toContain("I couldn't send you a direct message");
    const again = await interact(fake, { type: "command", name: "balance", userId: USERS.carol });
    expect(textOf(again.message)).not.toContain("I couldn't send you a direct message");

    const inbox = await interact(fake, { type: "command", name: "inbox", userId: USERS.carol });
    expect(textOf(inbox.message)).toContain("Updates you missed");
    expect(textOf(inbox.message)).toContain("Your deposit offer is ready");
  });
});

describe("moderators", () => {
  it("lets a member holding the admin role adjust a balance with a reason, journaled with who did it", async () => {
    const { app } = world;
    const before = await app.core.ledger.balance(memberId(USERS.alice));
    const { message } = await adjust(USERS.erin, USERS.alice, "12.50", "welcome bonus");
    expect(textOf(message)).toContain("Adjusted Alice's balance by +$12.50");
    expect(textOf(message)).toContain("Reason: welcome bonus");
    expect(await app.core.ledger.balance(memberId(USERS.alice))).toEqual({
      ...before,
      availableCents: before.availableCents + 1_250,
    });
    const [entry] = await app.core.ledger.journal(memberId(USERS.alice), { limit: 1 });
    expect(entry).toMatchObject({ actor: `admin:discord:${USERS.erin}`, reason: "welcome bonus" });

    // The lookup says it in words: who, each balance's change by name, the reason, who did it.
    const lookup = await interact(world.fake, {
      type: "command",
      name: "admin",
      subcommand: "lookup",
      userId: USERS.erin,
      options: { member: USERS.alice },
    });
    const text = textOf(lookup.message);
    expect(text.split("\n")[0]).toBe("Member Alice");
    expect(text).toMatch(
      /· Adjusted by a moderator · available \+\$12\.50 · held \$0\.00 · reason: welcome bonus · by erin/,
    );
    expect(text).not.toContain("discord:");
  });

  it("refuses /admin to a member without the role, even though Discord sent it", async () => {
    const { app } = world;
    const before = await app.core.ledger.balance(memberId(USERS.alice));
    const { message } = await adjust(USERS.frank, USERS.alice, "1000", "free money");
    expect(textOf(message)).toContain("Only moderators can use this.");
    expect(await app.core.ledger.balance(memberId(USERS.alice))).toEqual(before);
  });
});

describe("restarts", () => {
  it("keeps a picker's buttons working after the bot restarts", async () => {
    const { fake } = world;
    await link(USERS.ivan, 100038);
    const { picker } = await openDeposit(USERS.ivan);
    await world.stopBot();
    await world.restartBot();
    const step = await interact(fake, {
      type: "button",
      userId: USERS.ivan,
      messageId: picker.id,
      customId: buttonId(picker, "Next"),
    });
    expect(step.message.id).toBe(picker.id);
    expect(textOf(step.message)).toContain("Page 2 of");
  });
});

describe("failures", () => {
  it("turns an AssetPay refusal into a sentence the member understands, in an ephemeral message", async () => {
    const { fake, sandbox } = world;
    await link(USERS.kim, 700002);
    sandbox.faults.set({
      apiErrors: [{ route: "GET /client/inventory", key: "INVENTORY_PRIVATE", count: 1 }],
    });
    try {
      const { message } = await interact(fake, {
        type: "command",
        name: "deposit",
        userId: USERS.kim,
        options: { game: "cs2" },
      });
      expect(message.flags).toBe(64);
      expect(textOf(message)).toContain("Your Steam inventory is private");
      expect(message.components).toEqual([]);
    } finally {
      sandbox.faults.clear();
    }
  });

  it("answers a member whose interaction crashed with an apology, and keeps answering everyone", async () => {
    const { fake, app } = world;
    const outage = vi.spyOn(app.core.members, "touch").mockRejectedValueOnce(new Error("store unavailable"));
    try {
      const crashed = await interact(fake, { type: "command", name: "balance", userId: USERS.ivan });
      expect(textOf(crashed.message)).toContain("Something went wrong on our side. Nothing was charged.");
    } finally {
      outage.mockRestore();
    }
    const next = await interact(fake, { type: "command", name: "balance", userId: USERS.ivan });
    expect(textOf(next.message)).toContain("Your balance");
  });
});
