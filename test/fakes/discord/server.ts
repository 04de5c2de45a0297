import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIMessage } from "discord.js";
import { createChangeFeed } from "./changes.ts";
import { createCommandStore } from "./commands.ts";
import { discordError, ErrorCode } from "./discord-errors.ts";
import { createGateway } from "./gateway.ts";
import {
  failCode,
  type HttpResult,
  type ParsedRequest,
  parseBody,
  readRaw,
  recordedHeaders,
  send,
} from "./http.ts";
import { createInteractions } from "./interactions.ts";
import { createRateLimiter } from "./rate-limits.ts";
import { createRoutes } from "./routes.ts";
import { createSnowflakeFactory } from "./snowflake.ts";
import type {
  FakeDiscordOptions,
  FakeGuildInput,
  GatewaySessionInfo,
  InteractionHandle,
  InteractionInput,
  RateLimitRule,
  RecordedCall,
  StoredCommand,
  Violation,
} from "./types.ts";
import { createWorld } from "./world.ts";

export const DEFAULT_TOKEN = "RkFLRS1ib3Q.fake-discord.skinbridge-test-token";
export const DEFAULT_APPLICATION_ID = "1300000000000000001";
export const DEFAULT_GUILD_ID = "1300000000000000100";
export const DEFAULT_CHANNEL_ID = "1300000000000000200";

export const DEFAULT_GUILDS: FakeGuildInput[] = [
  {
    id: DEFAULT_GUILD_ID,
    name: "Skinbridge Test Guild",
    channels: [{ id: DEFAULT_CHANNEL_ID, name: "trading" }],
    members: [
      { id: "1300000000000001001", username: "alice", globalName: "Alice" },
      { id: "1300000000000001002", username: "bruno", globalName: "Bruno" },
    ],
  },
];

/** Application flags discord.js sees in READY: GATEWAY_MESSAGE_CONTENT_LIMITED, as for an unverified bot. */
const APPLICATION_FLAGS = 1 << 19;

export interface FakeDiscord {
  /** Pass as discord.js `rest.api` (the client appends `/v10`). */
  apiBase: string;
  /** The ws:// URL advertised by `GET /gateway/bot`. */
  gatewayUrl: string;
  token: string;
  applicationId: string;
  botUserId: string;
  /** Every REST request, in arrival order. */
  calls: RecordedCall[];
  /** Every request Discord would have refused; assert it stays empty. */
  violations: Violation[];
  /** Live: add or remove user ids to open or close their DMs mid-test. */
  closedDms: Set<string>;

  dispatchInteraction(input: InteractionInput): InteractionHandle;
  interaction(id: string): InteractionHandle | undefined;
  interactions(): InteractionHandle[];
  /** The current state of a stored message (interaction responses, follow-ups, DMs). */
  message(id: string): APIMessage | undefined;
  /** Every version of a message: as created, then after each edit. */
  messageHistory(id: string): APIMessage[];
  /** Messages delivered to a member's DM channel, oldest first. */
  dmsTo(userId: string): APIMessage[];
  channelMessages(channelId: string): APIMessage[];
  commands(guildId?: string | null): StoredCommand[];
  gatewaySessions(): GatewaySessionInfo[];
  /** Drops every gateway connection (close code 4000 by default) so clients resume. */
  disconnectGateway(code?: number): void;
  addRateLimit(rule: RateLimitRule): void;
  /** Resolves with the predicate's first truthy result, re-checked on each change; rejects on timeout. */
  waitFor<T>(predicate: (fake: FakeDiscord) => T | false | null | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

function describeRecent(calls: RecordedCall[], violations: Violation[]): string {
  const recent = calls
    .slice(-5)
    .map((c) => `${c.method} ${c.path} → ${c.status}`)
    .join(", ");
  const broken = violations.map((v) => `${v.kind}: ${v.message}`).join("; ");
  return `last calls: [${recent}]${broken ? `; violations: ${broken}` : ""}`;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Starts a fake Discord (REST under `/api/v10`, gateway at `/gateway`) on 127.0.0.1 and a free port. */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = opts.token ?? DEFAULT_TOKEN;
  const applicationId = opts.applicationId ?? DEFAULT_APPLICATION_ID;
  const botUserId = opts.botUserId ?? applicationId;
  const closedDms = opts.closedDms ?? new Set<string>();
  const calls: RecordedCall[] = [];
  const violations: Violation[] = [];
  const changes = createChangeFeed();
  const ids = createSnowflakeFactory();

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  const world = createWorld({
    ids,
    applicationId,
    bot: { id: botUserId, username: opts.botUsername ?? "skinbridge-test-bot" },
    guilds: opts.guilds ?? DEFAULT_GUILDS,
    users: opts.users ?? [],
    cdnBase: `${origin}/cdn`,
  });
  const commands = createCommandStore(ids, applicationId);
  const gateway = createGateway({
    token,
    url: gatewayUrl,
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
    readyData: (shard) => ({
      user: { ...world.botUser, verified: true, mfa_enabled: false, email: null },
      application: { id: applicationId, flags: APPLICATION_FLAGS },
      guildIds: world
        .guilds()
        .filter((g) => Number((BigInt(g.id) >> 22n) % BigInt(shard[1])) === shard[0])
        .map((g) => g.id),
    }),
    guildCreates: (shard) =>
      world
        .guilds()
        .filter((g) => Number((BigInt(g.id) >> 22n) % BigInt(shard[1])) === shard[0])
        .map((g) => world.guildCreatePayload(g)),
    onChange: changes.notify,
  });
  const interactions = createInteractions({
    world,
    commands,
    ids,
    applicationId,
    ackDeadlineMs: opts.ackDeadlineMs ?? 3000,
    tokenTtlMs: opts.interactionTokenTtlMs ?? 15 * 60 * 1000,
    now: opts.now ?? Date.now,
    requireRegisteredCommands: opts.requireRegisteredCommands ?? true,
    defaultLocale: opts.defaultLocale ?? "en-US",
    dispatch: (payload, guildId) => gateway.dispatch("INTERACTION_CREATE", payload, guildId),
    onChange: changes.notify,
  });
  const routes = createRoutes({
    world,
    commands,
    interactions,
    applicationId,
    applicationFlags: APPLICATION_FLAGS,
    gatewayUrl,
    closedDms,
    onChange: changes.notify,
  });
  const limiter = createRateLimiter(opts.rateLimits ?? [], Date.now, opts.globalRequestsPerSecond);

  async function answer(req: ParsedRequest, authorization: string | undefined): Promise<HttpResult> {
    const candidates = routes.filter((r) => r.pattern.test(req.path));
    const match = candidates.find((r) => r.method === req.method);
    if (!match) {
      return candidates.length > 0
        ? failCode(405, ErrorCode.General, "405: Method Not Allowed", "unknown_route")
        : failCode(404, ErrorCode.General, "404: Not Found", "unknown_route");
    }
    if (match.auth && authorization !== `Bot ${token}`) {
      return failCode(401, ErrorCode.General, "401: Unauthorized", "unauthorized");
    }
    const verdict = limiter.check(req.method, req.path);
    if (verdict?.limited) {
      return {
        status: 429,
        headers: verdict.headers,
        body: {
          message: "You are being rate limited.",
          retry_after: verdict.retryAfterSeconds,
          global: verdict.global === true,
        },
      };
    }
    const params = (match.pattern.exec(req.path) ?? []).slice(1);
    const result = match.handle(req, params);
    return verdict ? { ...result, headers: { ...verdict.headers, ...result.headers } } : result;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = process.hrtime.bigint();
    const url = new URL(req.url ?? "/", origin);
    const method = (req.method ?? "GET").toUpperCase();
    // discord-api-types' Routes percent-encode segments such as `@me` and `@original`.
    const pathname = safeDecode(url.pathname);
    const versioned = /^\/api\/v10(\/.*)$/.exec(pathname);
    const path = versioned?.[1] ?? pathname;
    const raw = await readRaw(req);
    const parsed = await parseBody(raw, req.headers["content-type"]);
    const request: ParsedRequest = {
      method,
      path,
      query: url.searchParams,
      headers: recordedHeaders(req),
      body: "body" in parsed ? parsed.body : undefined,
      files: "files" in parsed ? parsed.files : [],
    };
    let result: HttpResult;
    try {
      if ("error" in parsed) result = parsed.error;
      else if (!versioned) result = failCode(404, ErrorCode.General, "404: Not Found", "unknown_route");
      else result = await answer(request, req.headers.authorization);
    } catch (error) {
      result = {
        status: 500,
        body: discordError(ErrorCode.General, "500: Internal Server Error"),
        violation: {
          kind: "fake_error",
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        },
      };
    }
    calls.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body: request.body,
      files: request.files,
      status: result.status,
      at,
    });
    if (result.violation) {
      const body = result.body as { code?: number } | undefined;
      violations.push({
        kind: result.violation.kind,
        method,
        path,
        status: result.status,
        code: body?.code ?? 0,
        message: result.violation.message,
        at,
      });
    }
    send(res, result);
    changes.notify();
  }

  server.on("request", (req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.on("upgrade", (req, socket, head) => gateway.handleUpgrade(req, socket, head));

  const fake: FakeDiscord = {
    apiBase: `${origin}/api`,
    gatewayUrl,
    token,
    applicationId,
    botUserId,
    calls,
    violations,
    closedDms,
    dispatchInteraction: (input) => interactions.dispatch(input),
    interaction: (id) => interactions.handle(id),
    interactions: () => interactions.all(),
    message: (id) => world.message(id),
    messageHistory: (id) => world.history(id),
    dmsTo(userId) {
      const channel = world.dmChannelOf(userId);
      return channel ? world.messagesIn(channel.id) : [];
    },
    channelMessages: (channelId) => world.messagesIn(channelId),
    commands: (guildId = null) => commands.list(guildId),
    gatewaySessions: () => gateway.sessions(),
    disconnectGateway: (code) => gateway.disconnectAll(code),
    addRateLimit: (rule) => limiter.add(rule),
    waitFor: (predicate, timeoutMs = 5000) =>
      changes.waitFor(
        () => predicate(fake),
        timeoutMs,
        () => describeRecent(calls, violations),
      ),
    async close() {
      interactions.close();
      changes.close();
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
