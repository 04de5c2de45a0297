import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Bot, GrammyError, InlineKeyboard, webhookCallback } from "grammy";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type FakeTelegram, type FakeTelegramOptions, startFakeTelegram } from "./fakes/telegram/index.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = await startFakeTelegram(opts);
  cleanups.push(() => fake.close());
  return fake;
}

function botFor(fake: FakeTelegram, client: ConstructorParameters<typeof Bot>[1] = {}): Bot {
  return new Bot(fake.token, { ...client, client: { apiRoot: fake.apiRoot, ...client.client } });
}

/** A member who opened the private chat with the bot, so the bot may write to them. */
function memberWithOpenChat(fake: FakeTelegram) {
  const member = fake.user();
  fake.addChat(fake.privateChat(member));
  return member;
}

describe("the fake Telegram driven by a long-polling grammY bot", () => {
  it("answers /start with an HTML keyboard, then answers the button press and edits the message in place", async () => {
    const fake = await fakeTelegram();
    const bot = botFor(fake);
    bot.command("start", (ctx) =>
      ctx.reply(`<b>Welcome</b> (${ctx.from?.language_code}), pick an action &amp; go`, {
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text("Deposit", "v1:dep:s1").text("Withdraw", "v1:wd:s1"),
      }),
    );
    bot.callbackQuery("v1:dep:s1", async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText("<i>Deposit</i> started", {
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text("Cancel", "v1:cancel:s1"),
      });
    });
    bot.catch((error) => {
      throw error;
    });
    const polling = bot.start({ timeout: 1 });

    const member = fake.user({ language_code: "de" });
    const chat = fake.privateChat(member);
    fake.sendText(member, chat, "/start");
    const sent = await fake.waitForCall("sendMessage");
    expect(sent.params).toMatchObject({ chat_id: member.id, parse_mode: "HTML" });

    const [, welcome] = fake.chat(chat.id);
    expect(welcome).toMatchObject({
      from: { id: fake.botUser.id, is_bot: true },
      text: "Welcome (de), pick an action & go",
      entities: [{ type: "bold", offset: 0, length: 7 }],
      reply_markup: {
        inline_keyboard: [
          [
            { text: "Deposit", callback_data: "v1:dep:s1" },
            { text: "Withdraw", callback_data: "v1:wd:s1" },
          ],
        ],
      },
    });

    const press = fake.pressButton(member, welcome!, "v1:dep:s1");
    const answer = await press.answered;
    expect(answer.accepted).toBe(true);
    expect(answer.params.callback_query_id).toBe(press.callbackQueryId);
    const edit = await fake.waitForCall("editMessageText");
    expect(edit.response?.ok).toBe(true);
    expect(fake.calls.indexOf(fake.callsTo("answerCallbackQuery")[0]!)).toBeLessThan(
      fake.calls.indexOf(edit),
    );

    const edited = fake.message(chat.id, welcome!.message_id);
    expect(edited).toMatchObject({
      text: "Deposit started",
      entities: [{ type: "italic", offset: 0, length: 7 }],
      reply_markup: { inline_keyboard: [[{ text: "Cancel", callback_data: "v1:cancel:s1" }]] },
    });
    expect(edited?.edit_date).toBeTypeOf("number");
    expect(fake.chat(chat.id)).toHaveLength(2);

    await bot.stop();
    await polling;
    expect(fake.violations).toEqual([]);
    expect(JSON.stringify(fake.calls)).not.toContain(fake.token);
  });

  it("marks /command@botname in a group as a bot_command so grammY routes it", async () => {
    const fake = await fakeTelegram();
    const bot = botFor(fake);
    bot.command("start", (ctx) => ctx.reply(`hello ${ctx.chat.type}`));
    const polling = bot.start({ timeout: 1 });

    const member = fake.user();
    const group = fake.group();
    const handle = fake.sendText(member, group, `/start@${fake.botUser.username} now`);
    expect(handle.message.entities).toEqual([
      { type: "bot_command", offset: 0, length: `/start@${fake.botUser.username}`.length },
    ]);
    await fake.waitForCall("sendMessage");
    expect(fake.chat(group.id).at(-1)?.text).toBe("hello supergroup");

    await bot.stop();
    await polling;
  });
});

describe("the fake Telegram's long polling", () => {
  it("parks getUpdates until an update arrives, confirms below the offset and evicts an older poll", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);

    const parked = api.getUpdates({ timeout: 30 });
    await fake.waitFor((f) => f.callsTo("getUpdates").length === 1);
    const first = fake.sendText(member, fake.privateChat(member), "one");
    const [update] = await parked;
    expect(update).toEqual(first.update);

    // Unconfirmed updates are delivered again; an offset past them confirms them.
    expect(await api.getUpdates()).toHaveLength(1);
    expect(await api.getUpdates({ offset: update!.update_id + 1 })).toEqual([]);

    const older = api.getUpdates({ timeout: 30 }).catch((e: unknown) => e);
    await fake.waitFor((f) => f.callsTo("getUpdates").length === 4);
    const newer = api.getUpdates({ timeout: 30 });
    expect(await older).toMatchObject({
      error_code: 409,
      description:
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    fake.sendText(member, fake.privateChat(member), "two");
    expect((await newer).map((u) => u.message?.text)).toEqual(["two"]);
  });

  it("queues only the update types the bot allowed, and drops pending ones on request", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);
    const message = await api.sendMessage(member.id, "pick", {
      reply_markup: new InlineKeyboard().text("Go", "go"),
    });

    await api.getUpdates({ allowed_updates: ["callback_query"] });
    expect(fake.sendText(member, fake.privateChat(member), "ignored").update).toBeUndefined();
    const press = fake.pressButton(member, message, "go");
    expect((await api.getUpdates()).map((u) => u.update_id)).toEqual([press.update?.update_id]);

    await api.deleteWebhook({ drop_pending_updates: true });
    expect(await api.getUpdates()).toEqual([]);
    expect(fake.chat(member.id).map((m) => m.text)).toEqual(["pick", "ignored"]);
  });

  it("answers a parked long poll with no updates at once when closed", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const parked = api.getUpdates({ timeout: 30 });
    await fake.waitFor((f) => f.callsTo("getUpdates").length === 1);
    const closing = fake.close();
    expect(await parked).toEqual([]);
    await closing;
  });
});

describe("the fake Telegram delivering to a webhook", () => {
  it("POSTs updates with the secret header, retries a failed delivery and runs webhook replies", async () => {
    const fake = await fakeTelegram({ webhookRetryDelayMs: 10 });
    const secret = "s3cret_token-1";
    const bot = botFor(fake, { client: { canUseWebhookReply: (method) => method === "sendChatAction" } });
    bot.on("message:text", async (ctx) => {
      await ctx.replyWithChatAction("typing");
      await ctx.reply(`echo: ${ctx.message.text}`);
    });
    const handleUpdate = webhookCallback(bot, "http", { secretToken: secret });

    const deliveries: IncomingHttpHeaders[] = [];
    const receiver: Server = createServer((req, res) => {
      deliveries.push(req.headers);
      if (deliveries.length === 1) {
        req.resume();
        res.writeHead(500).end();
        return;
      }
      void handleUpdate(req, res);
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/telegram`;

    await expect(bot.api.setWebhook(url, { secret_token: secret })).resolves.toBe(true);
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });

    const member = memberWithOpenChat(fake);
    fake.sendText(member, fake.privateChat(member), "hi there");
    await fake.waitForCall("sendMessage");

    expect(deliveries).toHaveLength(2);
    for (const headers of deliveries) {
      expect(headers["x-telegram-bot-api-secret-token"]).toBe(secret);
      expect(headers["content-type"]).toBe("application/json");
    }
    expect(fake.callsTo("sendChatAction")).toMatchObject([
      { via: "webhook_reply", params: { action: "typing" } },
    ]);
    expect(fake.chat(member.id).at(-1)?.text).toBe("echo: hi there");

    const info = await bot.api.getWebhookInfo();
    expect(info).toMatchObject({
      url,
      pending_update_count: 0,
      last_error_message: "Wrong response from the webhook: 500 Internal Server Error",
    });
    await bot.api.deleteWebhook();
    expect((await bot.api.getWebhookInfo()).url).toBe("");
  });
});

describe("the fake Telegram refusing what Telegram refuses", () => {
  it("rejects callback_data over 64 UTF-8 bytes, counting bytes rather than characters", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);

    const tooLong = "x".repeat(65);
    await expect(
      api.sendMessage(member.id, "pick", { reply_markup: new InlineKeyboard().text("Go", tooLong) }),
    ).rejects.toMatchObject({ error_code: 400, description: "Bad Request: BUTTON_DATA_INVALID" });
    // 22 characters, 66 bytes.
    await expect(
      api.sendMessage(member.id, "pick", { reply_markup: new InlineKeyboard().text("Go", "€".repeat(22)) }),
    ).rejects.toBeInstanceOf(GrammyError);
    await expect(
      api.sendMessage(member.id, "pick", { reply_markup: new InlineKeyboard().text("Go", "x".repeat(64)) }),
    ).resolves.toMatchObject({ text: "pick" });

    expect(fake.violations.map((v) => v.kind)).toEqual(["button_data_invalid", "button_data_invalid"]);
    expect(fake.violations[0]).toMatchObject({
      method: "sendMessage",
      description: "Bad Request: BUTTON_DATA_INVALID",
    });
    expect(fake.chat(member.id)).toHaveLength(1);
  });

  it("rejects keyboards over 100 buttons and buttons with no action or two", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);
    const rows = Array.from({ length: 101 }, (_, i) => [{ text: `b${i}`, callback_data: `d${i}` }]);

    await expect(
      api.sendMessage(member.id, "many", { reply_markup: { inline_keyboard: rows } }),
    ).rejects.toMatchObject({ description: "Bad Request: reply markup is too long" });
    await expect(
      api.sendMessage(member.id, "bare", {
        reply_markup: { inline_keyboard: [[{ text: "bare" } as never]] },
      }),
    ).rejects.toMatchObject({
      description:
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    });
    await expect(
      api.sendMessage(member.id, "both", {
        reply_markup: {
          inline_keyboard: [[{ text: "both", url: "https://example.com", callback_data: "x" } as never]],
        },
      }),
    ).rejects.toMatchObject({ error_code: 400 });
    expect(fake.violations.map((v) => v.kind)).toEqual(["too_many_buttons", "button_type", "button_type"]);
  });

  it("rejects HTML with a raw '<', unknown or unbalanced tags, and accepts proper escapes", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);
    const html = (text: string) => api.sendMessage(member.id, text, { parse_mode: "HTML" });

    await expect(html("Price < 5 USD")).rejects.toMatchObject({
      error_code: 400,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 6',
    });
    await expect(html("<b>bold</i>")).rejects.toMatchObject({
      description: expect.stringContaining(
        'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"',
      ),
    });
    await expect(html("<div>x</div>")).rejects.toMatchObject({
      description: expect.stringContaining('Unsupported start tag "div"'),
    });
    await expect(html("<b>open")).rejects.toMatchObject({
      description: expect.stringContaining("Can't find end tag corresponding to start tag"),
    });
    await expect(html("fish & chips")).rejects.toMatchObject({
      description: expect.stringMatching(/^Bad Request: can't parse entities: /),
    });
    expect(fake.violations.map((v) => v.kind)).toEqual(Array(5).fill("parse_entities"));

    const ok = await html(
      '<b>A</b> &lt;5 &amp; <a href="https://example.com/?a=1&amp;b=2">link</a> <pre><code class="language-ts">x</code></pre> <tg-spoiler>s</tg-spoiler> <blockquote expandable>q</blockquote>',
    );
    expect(ok.text).toBe("A <5 & link x s q");
    expect(ok.entities).toEqual([
      { type: "bold", offset: 0, length: 1 },
      { type: "text_link", offset: 7, length: 4, url: "https://example.com/?a=1&b=2" },
      { type: "pre", offset: 12, length: 1, language: "ts" },
      { type: "spoiler", offset: 14, length: 1 },
      { type: "expandable_blockquote", offset: 16, length: 1 },
    ]);
  });

  it("measures the 4096-character limit on the text after entity parsing", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);

    await expect(api.sendMessage(member.id, "a".repeat(4097))).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: message is too long",
    });
    const marked = await api.sendMessage(member.id, `<b>${"a".repeat(4096)}</b>`, { parse_mode: "HTML" });
    expect(marked.text).toHaveLength(4096);
    await expect(api.sendMessage(member.id, " <b></b> ", { parse_mode: "HTML" })).rejects.toMatchObject({
      description: "Bad Request: message text is empty",
    });
    expect(fake.violations.map((v) => v.kind)).toEqual(["text_too_long", "text_empty"]);
  });

  it("refuses a second answer to the same callback query", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);
    const message = await api.sendMessage(member.id, "pick", {
      reply_markup: new InlineKeyboard().text("Yes", "v1:yes:s2"),
    });

    const press = fake.pressButton(member, message, "v1:yes:s2");
    expect(press.update?.callback_query).toMatchObject({ data: "v1:yes:s2", from: { id: member.id } });
    await expect(api.answerCallbackQuery(press.callbackQueryId, { text: "ok" })).resolves.toBe(true);
    await expect(api.answerCallbackQuery(press.callbackQueryId)).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
    });
    expect(await press.answered).toMatchObject({ accepted: true, params: { text: "ok" } });
    expect(fake.violations.map((v) => v.kind)).toEqual(["callback_answered_twice"]);
  });

  it("records a callback query left unanswered past the deadline and refuses the late answer", async () => {
    // The deadline runs on fake timers (sockets stay real): time passes only when the test says.
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
    });
    cleanups.push(async () => {
      vi.useRealTimers();
    });
    const fake = await fakeTelegram({ callbackAnswerDeadlineMs: 10_000 });
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);
    const message = await api.sendMessage(member.id, "pick", {
      reply_markup: new InlineKeyboard().text("Go", "go"),
    });

    const press = fake.pressButton(member, message, "go");
    await vi.advanceTimersByTimeAsync(9_999);
    expect(fake.violations).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(fake.violations.map((v) => v.kind)).toEqual(["callback_unanswered"]);
    await expect(api.answerCallbackQuery(press.callbackQueryId)).rejects.toMatchObject({ error_code: 400 });
    const answer = await press.answered;
    expect(answer.accepted).toBe(false);
    expect(answer.at - press.injectedAt).toBe(10_001);
    expect(fake.violations.map((v) => v.kind)).toEqual(["callback_unanswered", "callback_answer_late"]);
  });

  it("refuses edits that change nothing or target a message missing from that chat", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);
    const other = memberWithOpenChat(fake);
    const keyboard = new InlineKeyboard().text("Go", "go");
    const message = await api.sendMessage(member.id, "<b>same</b>", {
      parse_mode: "HTML",
      reply_markup: keyboard,
    });

    await expect(
      api.editMessageText(member.id, message.message_id, "<b>same</b>", {
        parse_mode: "HTML",
        reply_markup: keyboard,
      }),
    ).rejects.toMatchObject({
      description: expect.stringMatching(/^Bad Request: message is not modified: /),
    });
    await expect(api.editMessageText(other.id, message.message_id, "moved")).rejects.toMatchObject({
      description: "Bad Request: message to edit not found",
    });
    // Telegram drops the keyboard of a text edit that omits reply_markup.
    await api.editMessageText(member.id, message.message_id, "<b>same</b>", { parse_mode: "HTML" });
    expect(fake.message(member.id, message.message_id)?.reply_markup).toBeUndefined();
    expect(fake.violations.map((v) => v.kind)).toEqual(["message_not_modified", "message_not_found"]);
  });
});

describe("the fake Telegram's message management", () => {
  it("swaps keyboards, deletes messages, describes chats and accepts menu buttons and chat actions", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);
    const first = await api.sendMessage(member.id, "first", {
      reply_markup: new InlineKeyboard().text("A", "a"),
    });
    const second = await api.sendMessage(member.id, "second");
    expect(second.message_id).toBe(first.message_id + 1);

    const swapped = await api.editMessageReplyMarkup(member.id, first.message_id, {
      reply_markup: new InlineKeyboard().text("B", "b"),
    });
    expect(swapped).toMatchObject({
      text: "first",
      reply_markup: { inline_keyboard: [[{ text: "B", callback_data: "b" }]] },
    });
    expect(() => fake.pressButton(member, first, "a")).toThrow(/no button with data "a"/);

    await expect(api.deleteMessage(member.id, second.message_id)).resolves.toBe(true);
    await expect(api.deleteMessage(member.id, second.message_id)).rejects.toMatchObject({
      description: "Bad Request: message to delete not found",
    });
    expect(fake.chat(member.id).map((m) => m.text)).toEqual(["first"]);

    expect(await api.getChat(member.id)).toMatchObject({
      id: member.id,
      type: "private",
      first_name: member.first_name,
    });
    await expect(api.setChatMenuButton({ menu_button: { type: "commands" } })).resolves.toBe(true);
    await expect(api.sendChatAction(member.id, "typing")).resolves.toBe(true);
    await expect(api.sendChatAction(member.id, "dancing" as never)).rejects.toMatchObject({
      description: "Bad Request: wrong parameter action in request",
    });
    expect(fake.violations.map((v) => v.kind)).toEqual(["message_not_found", "bad_request"]);
  });
});

describe("the fake Telegram's runtime refusals", () => {
  it("answers 403 for a user who blocked the bot, without calling it a violation", async () => {
    const blocked = 555_001;
    const fake = await fakeTelegram({ blockedChats: [blocked] });
    const api = botFor(fake).api;

    const error = await api.sendMessage(blocked, "hello").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 403, description: "Forbidden: bot was blocked by the user" });

    const member = memberWithOpenChat(fake);
    fake.block(member.id);
    await expect(api.sendMessage(member.id, "hello")).rejects.toMatchObject({ error_code: 403 });
    fake.unblock(member.id);
    await expect(api.sendMessage(member.id, "hello")).resolves.toMatchObject({ text: "hello" });
    expect(fake.violations).toEqual([]);
  });

  it("lets the bot speak only in chats the member opened", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;
    const member = fake.user();
    fake.sendText(member, fake.group(), "hi all");

    await expect(api.sendMessage(member.id, "psst")).rejects.toMatchObject({
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    await expect(api.sendMessage(987_654, "hello?")).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: chat not found",
    });
  });

  it("answers 429 with retry_after past a per-chat rate, and on demand", async () => {
    const fake = await fakeTelegram({ rateLimit: { perChatPerSecond: 2, retryAfterSeconds: 3 } });
    const api = botFor(fake).api;
    const member = memberWithOpenChat(fake);

    await api.sendMessage(member.id, "one");
    await api.sendMessage(member.id, "two");
    await expect(api.sendMessage(member.id, "three")).rejects.toMatchObject({
      error_code: 429,
      description: "Too Many Requests: retry after 3",
      parameters: { retry_after: 3 },
    });
    expect(fake.violations.map((v) => v.kind)).toEqual(["rate_limited"]);

    fake.forceRateLimit(7, "getMe");
    await expect(api.getMe()).rejects.toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });
    await expect(api.getMe()).resolves.toMatchObject({ username: fake.botUser.username });
  });
});

describe("the fake Telegram's HTTP surface", () => {
  it("answers 401 to a wrong token, 404 to an unknown method, and reads form-encoded bodies", async () => {
    const fake = await fakeTelegram();
    const member = memberWithOpenChat(fake);

    const wrongToken = await fetch(`${fake.apiRoot}/bot123:nope/getMe`);
    expect(wrongToken.status).toBe(401);
    expect(await wrongToken.json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });

    const unknown = await fetch(`${fake.apiRoot}/bot${fake.token}/sendTelepathy`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      ok: false,
      error_code: 404,
      description: "Not Found: method not found",
    });

    const form = await fetch(`${fake.apiRoot}/bot${fake.token}/SENDMESSAGE`, {
      method: "POST",
      body: new URLSearchParams({
        chat_id: String(member.id),
        text: "from a form",
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] }),
      }),
    });
    expect(await form.json()).toMatchObject({ ok: true, result: { text: "from a form", reply_markup: {} } });
    expect(fake.callsTo("sendMessage")[0]?.params.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Go", callback_data: "go" }]],
    });
  });

  it("reads multipart bodies as grammY sends them when uploading", async () => {
    const fake = await fakeTelegram();
    const member = memberWithOpenChat(fake);
    const body = new FormData();
    body.set("chat_id", String(member.id));
    body.set("text", "<b>multi</b>part");
    body.set("parse_mode", "HTML");

    const response = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: "POST", body });
    expect(await response.json()).toMatchObject({
      ok: true,
      result: { text: "multipart", entities: [{ type: "bold", offset: 0, length: 5 }] },
    });
  });

  it("stores command lists per scope and language", async () => {
    const fake = await fakeTelegram();
    const api = botFor(fake).api;

    await api.setMyCommands([{ command: "deposit", description: "Deposit skins" }]);
    await api.setMyCommands([{ command: "deposit", description: "Skins einzahlen" }], {
      language_code: "de",
    });
    await api.setMyCommands([{ command: "admin", description: "Admin tools" }], {
      scope: { type: "chat", chat_id: 42 },
    });

    expect(await api.getMyCommands()).toEqual([{ command: "deposit", description: "Deposit skins" }]);
    expect(await api.getMyCommands({ language_code: "de" })).toEqual([
      { command: "deposit", description: "Skins einzahlen" },
    ]);
    expect(fake.commands({ type: "chat", chat_id: 42 })).toEqual([
      { command: "admin", description: "Admin tools" },
    ]);
    await api.deleteMyCommands({ language_code: "de" });
    expect(await api.getMyCommands({ language_code: "de" })).toEqual([]);
    await expect(api.setMyCommands([{ command: "Deposit", description: "x" }])).rejects.toMatchObject({
      description: "Bad Request: BOT_COMMAND_INVALID",
    });
  });
});
