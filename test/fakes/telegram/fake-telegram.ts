/**
 * A local stand-in for the Telegram Bot API (`https://api.telegram.org`), for end-to-end tests
 * that run the real grammY client: point it at `apiRoot` and it serves `/bot<token>/<method>`,
 * records every call, holds chats as Telegram would, and refuses (with Telegram's status and
 * description, plus a recorded violation) what Telegram would refuse.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TelegramApiError } from "./api-error.ts";
import { CallbackQueries } from "./callback-queries.ts";
import { ChatStore } from "./chat-store.ts";
import { type BotCommand, Described, type FakeCore } from "./core.ts";
import { FloodControl, type ForcedFailure, type RateLimitOptions } from "./flood-control.ts";
import { type CallbackHandle, Injector, type TextHandle } from "./inject.ts";
import { commandsKey } from "./methods/bot.ts";
import { findMethod } from "./methods/index.ts";
import { type Params, readParams } from "./params.ts";
import type {
  CallRecord,
  TgBotUser,
  TgChat,
  TgGroupChat,
  TgMessage,
  TgPrivateChat,
  TgUpdate,
  TgUser,
  Violation,
} from "./types.ts";
import { UpdateQueue } from "./update-queue.ts";
import { WebhookDeliverer } from "./webhook.ts";

export interface FakeTelegramOptions {
  /** The only token the fake accepts; anything else gets 401. */
  token?: string;
  botUser?: Partial<Pick<TgBotUser, "id" | "first_name" | "username">>;
  /** How long Telegram waits for answerCallbackQuery; later answers are refused. Default 10 000. */
  callbackAnswerDeadlineMs?: number;
  /** Users (private chat ids) who blocked the bot from the start. */
  blockedChats?: number[];
  rateLimit?: RateLimitOptions;
  /** First retry delay after a failed webhook delivery (doubling, capped at 2 s). Default 50. */
  webhookRetryDelayMs?: number;
}

export interface WaitForCallOptions {
  /** Only calls recorded at or after this index of `calls` count (e.g. `fake.calls.length` taken earlier). */
  since?: number;
  where?: (params: Params, call: CallRecord) => boolean;
  timeoutMs?: number;
}

export interface FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  readonly botUser: TgBotUser;
  /** Every request with a valid token, oldest first. */
  readonly calls: readonly CallRecord[];
  readonly violations: readonly Violation[];
  callsTo(method: string): CallRecord[];
  /** Messages of a chat, in their current state (edits applied, deletions gone), oldest first. */
  chat(chatId: number): TgMessage[];
  message(chatId: number, messageId: number): TgMessage | undefined;
  /** The command list stored by setMyCommands for exactly this scope and language. */
  commands(scope?: Record<string, unknown>, languageCode?: string): BotCommand[] | undefined;

  user(init?: Partial<TgUser>): TgUser;
  privateChat(user: TgUser): TgPrivateChat;
  group(init?: Partial<TgGroupChat>): TgGroupChat;
  addChat(chat: TgChat): void;
  sendText(from: TgUser, chat: TgChat, text: string): TextHandle;
  pressButton(
    from: TgUser,
    message: { message_id: number; chat: { id: number } },
    data: string,
  ): CallbackHandle;
  injectUpdate(type: string, payload: unknown): TgUpdate | undefined;

  block(chatId: number): void;
  unblock(chatId: number): void;
  /** Makes the next matching call(s) fail with the given error instead of being handled. */
  failNext(failure: ForcedFailure): void;
  /** Shorthand for a forced 429 `retry after` on the next call (of `method`, if given). */
  forceRateLimit(retryAfterSeconds: number, method?: string): void;

  /** Resolves with the predicate's first truthy value, re-checked on every call, answer and injection. */
  waitFor<T>(predicate: (fake: FakeTelegram) => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Resolves with the first answered call of `method` matching the options. */
  waitForCall(method: string, options?: WaitForCallOptions): Promise<CallRecord>;
  /** Throws, listing them, if any violation was recorded. */
  assertNoViolations(): void;
  /** Ends pending long polls at once, stops webhook deliveries and closes the server. */
  close(): Promise<void>;
}

const DEFAULT_TOKEN = "7000000001:AAFakeTelegramTokenForSkinbridgeTests";

export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = opts.token ?? DEFAULT_TOKEN;
  const tokenBotId = /^(\d+):/.exec(token)?.[1];
  const bot: TgBotUser = {
    id: opts.botUser?.id ?? (tokenBotId ? Number(tokenBotId) : 7_000_000_001),
    is_bot: true,
    first_name: opts.botUser?.first_name ?? "Skinbridge",
    username: opts.botUser?.username ?? "skinbridge_test_bot",
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
  const deadlineMs = opts.callbackAnswerDeadlineMs ?? 10_000;

  const calls: CallRecord[] = [];
  const violations: Violation[] = [];
  const waiters = new Set<{ check: () => boolean; fail: (error: Error) => void }>();
  const changed = () => {
    for (const waiter of [...waiters]) if (waiter.check()) waiters.delete(waiter);
  };

  const queue = new UpdateQueue(100_000_001);
  const chats = new ChatStore();
  for (const chatId of opts.blockedChats ?? []) chats.setBlocked(chatId, true);
  const core: FakeCore = {
    bot,
    chats,
    queue,
    webhook: new WebhookDeliverer({
      queue,
      retryDelayMs: opts.webhookRetryDelayMs ?? 50,
      onReply: async (method, params) => {
        await dispatch(method, params, new AbortController().signal, "webhook_reply");
      },
    }),
    callbacks: new CallbackQueries(deadlineMs, (id) => {
      violations.push({
        kind: "callback_unanswered",
        method: "answerCallbackQuery",
        description: `callback query ${id} was not answered within ${deadlineMs} ms`,
        at: performance.now(),
      });
      changed();
    }),
    flood: new FloodControl(opts.rateLimit),
    commands: new Map(),
    menuButtons: new Map(),
  };
  const injector = new Injector(core, changed);

  /** Runs one method call, records it and its answer; returns the JSON body and HTTP status. */
  async function dispatch(
    rawMethod: string,
    params: Params,
    signal: AbortSignal,
    via?: CallRecord["via"],
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const method = findMethod(rawMethod);
    const now = performance.now();
    const record: CallRecord = {
      method: method?.name ?? rawMethod,
      params: structuredClone(params),
      at: now,
    };
    if (via) record.via = via;
    calls.push(record);
    changed();

    let status = 200;
    let body: Record<string, unknown>;
    try {
      if (!method) throw new TelegramApiError(404, "Not Found: method not found");
      const forced = core.flood.takeForced(method.name);
      if (forced) throw forced;
      const result = await method.handler(core, { params, signal, now });
      body =
        result instanceof Described
          ? { ok: true, result: result.result, description: result.description }
          : { ok: true, result };
      record.response = { ok: true, result: structuredClone(body.result) };
    } catch (error) {
      const apiError =
        error instanceof TelegramApiError
          ? error
          : new TelegramApiError(500, `Internal Server Error: fake Telegram failed: ${String(error)}`);
      status = apiError.errorCode;
      body = apiError.toBody();
      record.response = { ok: false, error_code: apiError.errorCode, description: apiError.description };
      if (apiError.violation) {
        violations.push({
          kind: apiError.violation,
          method: record.method,
          description: apiError.description,
          at: performance.now(),
          params: record.params,
        });
      }
    }
    changed();
    return { status, body };
  }

  const inFlight = new Set<Promise<void>>();
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = /^\/bot([^/]+)\/([^/]*)$/.exec(url.pathname);
    if (!route) return send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (decodeURIComponent(route[1]!) !== token) {
      return send(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    const hangUp = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) hangUp.abort();
    });
    let params: Params;
    try {
      params = await readParams(req, url.searchParams);
    } catch (error) {
      const apiError =
        error instanceof TelegramApiError
          ? error
          : new TelegramApiError(400, "Bad Request: request body is unreadable");
      return send(res, apiError.errorCode, apiError.toBody());
    }
    const { status, body } = await dispatch(route[2]!, params, hangUp.signal);
    send(res, status, body);
  }

  const server = createServer((req, res) => {
    const done = handle(req, res).catch((error: unknown) => {
      send(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` });
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });
  // Long polls are parked up to 50 s; Node's default 5 s request timeout would cut them.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closed = false;
  const fake: FakeTelegram = {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botUser: { ...bot },
    calls,
    violations,
    callsTo: (method) => calls.filter((c) => c.method.toLowerCase() === method.toLowerCase()),
    chat: (chatId) => structuredClone(chats.messages(chatId)),
    message: (chatId, messageId) => {
      const m = chats.message(chatId, messageId);
      return m && structuredClone(m);
    },
    commands: (scope, languageCode) => {
      const list = core.commands.get(commandsKey(scope, languageCode ?? ""));
      return list && structuredClone(list);
    },
    user: (init) => injector.user(init),
    privateChat: (user) => injector.privateChat(user),
    group: (init) => injector.group(init),
    addChat: (chat) => injector.addChat(chat),
    sendText: (from, chat, text) => injector.sendText(from, chat, text),
    pressButton: (from, message, data) => injector.pressButton(from, message, data),
    injectUpdate: (type, payload) => injector.injectUpdate(type, payload),
    block: (chatId) => chats.setBlocked(chatId, true),
    unblock: (chatId) => chats.setBlocked(chatId, false),
    failNext: (failure) => core.flood.force(failure),
    forceRateLimit: (retryAfterSeconds, method) => {
      const failure: ForcedFailure = {
        errorCode: 429,
        description: `Too Many Requests: retry after ${retryAfterSeconds}`,
        retryAfter: retryAfterSeconds,
      };
      if (method) failure.method = method;
      core.flood.force(failure);
    },
    waitFor: (predicate, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const waiter = {
          check: () => {
            let value: ReturnType<typeof predicate>;
            try {
              value = predicate(fake);
            } catch (error) {
              // A throwing predicate fails its own wait, never the request that triggered the check.
              clearTimeout(timer);
              reject(error);
              return true;
            }
            if (value === undefined || value === null || value === false) return false;
            clearTimeout(timer);
            resolve(value);
            return true;
          },
          fail: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const recent = calls.slice(-5).map((c) => `${c.method} → ${c.response?.ok ?? "pending"}`);
          reject(
            new Error(`waitFor timed out after ${timeoutMs} ms; last calls: ${recent.join(", ") || "none"}`),
          );
        }, timeoutMs);
        if (closed) waiter.fail(new Error("the fake Telegram is closed"));
        else if (!waiter.check()) waiters.add(waiter);
      }),
    waitForCall: (method, options = {}) => {
      const since = options.since ?? 0;
      const lower = method.toLowerCase();
      return fake.waitFor(
        () =>
          calls
            .slice(since)
            .find(
              (c) =>
                c.method.toLowerCase() === lower &&
                c.response !== undefined &&
                (options.where ? options.where(c.params, c) : true),
            ),
        options.timeoutMs,
      );
    },
    assertNoViolations: () => {
      if (violations.length === 0) return;
      const lines = violations.map((v) => `- ${v.method}: ${v.description} (${v.kind})`);
      throw new Error(`the bot did what Telegram refuses:\n${lines.join("\n")}`);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      queue.releaseParked();
      core.webhook.close();
      core.callbacks.close();
      for (const waiter of waiters) waiter.fail(new Error("the fake Telegram was closed"));
      waiters.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await stopped;
    },
  };
  return fake;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
