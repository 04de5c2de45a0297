import type { CommandStore } from "./commands.ts";
import { ErrorCode, FormErrors, isRecord } from "./discord-errors.ts";
import { fail, failCode, type HttpResult, json, noContent, type ParsedRequest } from "./http.ts";
import type { Interactions } from "./interactions.ts";
import { isSnowflake } from "./snowflake.ts";
import { validateCommand, validateCommandList } from "./validate-commands.ts";
import { isEmptyMessage, validateMessageBody } from "./validate-message.ts";
import type { World } from "./world.ts";

export interface Route {
  method: string;
  pattern: RegExp;
  /** Interaction callbacks and interaction webhooks are called without the bot token, as discord.js does. */
  auth: boolean;
  handle(req: ParsedRequest, params: string[]): HttpResult;
}

export interface RouteDeps {
  world: World;
  commands: CommandStore;
  interactions: Interactions;
  applicationId: string;
  applicationFlags: number;
  gatewayUrl: string;
  closedDms: Set<string>;
  onChange(): void;
}

const ID = "(\\d{15,20})";
const TOKEN = "([^/]+)";

function route(method: string, path: string, auth: boolean, handle: Route["handle"]): Route {
  return { method, pattern: new RegExp(`^${path}$`), auth, handle };
}

export function createRoutes(deps: RouteDeps): Route[] {
  const { world, commands, interactions } = deps;

  const application = () => ({
    id: deps.applicationId,
    name: world.botUser.username,
    icon: null,
    description: "",
    summary: "",
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: "0".repeat(64),
    flags: deps.applicationFlags,
    team: null,
    owner: world.botUser,
    bot: world.botUser,
    approximate_guild_count: world.guilds().length,
    install_params: { scopes: ["bot", "applications.commands"], permissions: "0" },
    integration_types_config: { "0": {} },
  });

  /** Guards `/applications/{app}/…`: another application's id, or a guild the bot is not in, is Missing Access. */
  function commandScope(appId: string, guildId: string | null): HttpResult | null {
    if (appId !== deps.applicationId || (guildId !== null && !world.guild(guildId))) {
      return failCode(403, ErrorCode.MissingAccess, "Missing Access", "missing_access");
    }
    return null;
  }

  function putCommands(appId: string, guildId: string | null, req: ParsedRequest): HttpResult {
    const denied = commandScope(appId, guildId);
    if (denied) return denied;
    const errors = new FormErrors();
    validateCommandList(errors, req.body);
    if (!errors.empty) return fail(400, errors.toBody(), "invalid_form_body", errors.summary());
    const stored = commands.overwrite(guildId, req.body as Record<string, unknown>[]);
    deps.onChange();
    return json(200, stored);
  }

  function postCommand(appId: string, guildId: string | null, req: ParsedRequest): HttpResult {
    const denied = commandScope(appId, guildId);
    if (denied) return denied;
    const errors = new FormErrors();
    validateCommand(errors, [], req.body);
    if (!errors.empty) return fail(400, errors.toBody(), "invalid_form_body", errors.summary());
    const { command, created } = commands.upsert(guildId, req.body as Record<string, unknown>);
    deps.onChange();
    return json(created ? 201 : 200, command);
  }

  function getCommand(appId: string, guildId: string | null, id: string): HttpResult {
    const denied = commandScope(appId, guildId);
    if (denied) return denied;
    const command = commands.get(guildId, id);
    return command
      ? json(200, command)
      : failCode(404, ErrorCode.UnknownApplicationCommand, "Unknown application command", "unknown_command");
  }

  function deleteCommand(appId: string, guildId: string | null, id: string): HttpResult {
    const denied = commandScope(appId, guildId);
    if (denied) return denied;
    const removed = commands.remove(guildId, id);
    deps.onChange();
    return removed
      ? noContent
      : failCode(404, ErrorCode.UnknownApplicationCommand, "Unknown application command", "unknown_command");
  }

  function channelMessage(channelId: string, messageId: string) {
    const entry = world.entry(messageId);
    return entry && entry.message.channel_id === channelId ? entry : undefined;
  }

  return [
    route("GET", "/gateway", false, () => json(200, { url: deps.gatewayUrl })),
    route("GET", "/gateway/bot", true, () =>
      json(200, {
        url: deps.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      }),
    ),
    route("GET", "/users/@me", true, () => json(200, world.botUser)),
    route("GET", `/users/${ID}`, true, (_req, [id]) => {
      const user = world.user(id as string);
      return user ? json(200, user) : failCode(404, ErrorCode.UnknownUser, "Unknown User", "unknown_user");
    }),
    route("GET", "/applications/@me", true, () => json(200, application())),
    route("GET", "/oauth2/applications/@me", true, () => json(200, application())),

    route("GET", `/applications/${ID}/commands`, true, (_req, [app]) => {
      return commandScope(app as string, null) ?? json(200, commands.list(null));
    }),
    route("PUT", `/applications/${ID}/commands`, true, (req, [app]) => putCommands(app as string, null, req)),
    route("POST", `/applications/${ID}/commands`, true, (req, [app]) =>
      postCommand(app as string, null, req),
    ),
    route("GET", `/applications/${ID}/commands/${ID}`, true, (_req, [app, id]) =>
      getCommand(app as string, null, id as string),
    ),
    route("DELETE", `/applications/${ID}/commands/${ID}`, true, (_req, [app, id]) =>
      deleteCommand(app as string, null, id as string),
    ),
    route("GET", `/applications/${ID}/guilds/${ID}/commands`, true, (_req, [app, guild]) => {
      return commandScope(app as string, guild as string) ?? json(200, commands.list(guild as string));
    }),
    route("PUT", `/applications/${ID}/guilds/${ID}/commands`, true, (req, [app, guild]) =>
      putCommands(app as string, guild as string, req),
    ),
    route("POST", `/applications/${ID}/guilds/${ID}/commands`, true, (req, [app, guild]) =>
      postCommand(app as string, guild as string, req),
    ),
    route("GET", `/applications/${ID}/guilds/${ID}/commands/${ID}`, true, (_req, [app, guild, id]) =>
      getCommand(app as string, guild as string, id as string),
    ),
    route("DELETE", `/applications/${ID}/guilds/${ID}/commands/${ID}`, true, (_req, [app, guild, id]) =>
      deleteCommand(app as string, guild as string, id as string),
    ),

    route("POST", `/interactions/${ID}/${TOKEN}/callback`, false, (req, [id, token]) =>
      interactions.callback(id as string, token as string, req),
    ),
    route("POST", `/webhooks/${ID}/${TOKEN}`, false, (req, [app, token]) =>
      interactions.followUp(app as string, token as string, req),
    ),
    ...["GET", "PATCH", "DELETE"].map((method) =>
      route(
        method,
        `/webhooks/${ID}/${TOKEN}/messages/(@original|\\d{15,20})`,
        false,
        (req, [app, token, ref]) =>
          interactions.webhookMessage(app as string, token as string, ref as string, req),
      ),
    ),

    route("POST", "/users/@me/channels", true, (req) => {
      const recipient = isRecord(req.body) ? req.body.recipient_id : undefined;
      if (!isSnowflake(recipient)) {
        const errors = new FormErrors();
        errors.add(["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required");
        return fail(400, errors.toBody(), "invalid_form_body", errors.summary());
      }
      if (!world.user(recipient)) return failCode(404, ErrorCode.UnknownUser, "Unknown User", "unknown_user");
      const channel = world.openDm(recipient);
      deps.onChange();
      return json(200, world.channelPayload(channel));
    }),
    route("GET", `/channels/${ID}`, true, (_req, [id]) => {
      const channel = world.channel(id as string);
      return channel
        ? json(200, world.channelPayload(channel))
        : failCode(404, ErrorCode.UnknownChannel, "Unknown Channel", "unknown_channel");
    }),
    route("POST", `/channels/${ID}/messages`, true, (req, [channelId]) => {
      const channel = world.channel(channelId as string);
      if (!channel) return failCode(404, ErrorCode.UnknownChannel, "Unknown Channel", "unknown_channel");
      const body = isRecord(req.body) ? req.body : {};
      const errors = new FormErrors();
      validateMessageBody(errors, [], body, { allowEphemeral: false });
      if (!errors.empty) return fail(400, errors.toBody(), "invalid_form_body", errors.summary());
      if (isEmptyMessage({ ...body, attachments: req.files })) {
        return failCode(
          400,
          ErrorCode.CannotSendEmptyMessage,
          "Cannot send an empty message",
          "empty_message",
        );
      }
      // A member with closed DMs is not the app's fault; the app must cope, so this is no violation.
      if (channel.type === 1 && channel.recipientId && deps.closedDms.has(channel.recipientId)) {
        return failCode(403, ErrorCode.CannotSendMessagesToUser, "Cannot send messages to this user");
      }
      const message = world.createMessage({
        channelId: channel.id,
        body,
        files: req.files,
        flags: typeof body.flags === "number" ? body.flags : 0,
        guildId: channel.guildId,
      });
      deps.onChange();
      return json(200, message);
    }),
    route("GET", `/channels/${ID}/messages/${ID}`, true, (_req, [channelId, messageId]) => {
      const entry = channelMessage(channelId as string, messageId as string);
      return entry
        ? json(200, world.message(entry.message.id))
        : failCode(404, ErrorCode.UnknownMessage, "Unknown Message", "unknown_message");
    }),
    route("PATCH", `/channels/${ID}/messages/${ID}`, true, (req, [channelId, messageId]) => {
      const entry = channelMessage(channelId as string, messageId as string);
      if (!entry) return failCode(404, ErrorCode.UnknownMessage, "Unknown Message", "unknown_message");
      const body = isRecord(req.body) ? req.body : {};
      const errors = new FormErrors();
      validateMessageBody(errors, [], body, { allowEphemeral: false }, entry.message.flags ?? 0);
      if (!errors.empty) return fail(400, errors.toBody(), "invalid_form_body", errors.summary());
      const message = world.editMessage(entry.message.id, body, req.files, false);
      deps.onChange();
      return json(200, message);
    }),
    route("DELETE", `/channels/${ID}/messages/${ID}`, true, (_req, [channelId, messageId]) => {
      const entry = channelMessage(channelId as string, messageId as string);
      if (!entry) return failCode(404, ErrorCode.UnknownMessage, "Unknown Message", "unknown_message");
      world.deleteMessage(entry.message.id);
      deps.onChange();
      return noContent;
    }),
    route("GET", `/guilds/${ID}`, true, (_req, [guildId]) => {
      const guild = world.guild(guildId as string);
      return guild
        ? json(200, world.guildPayload(guild))
        : failCode(404, ErrorCode.UnknownGuild, "Unknown Guild", "unknown_guild");
    }),
    route("GET", `/guilds/${ID}/members/${ID}`, true, (_req, [guildId, userId]) => {
      const guild = world.guild(guildId as string);
      if (!guild) return failCode(404, ErrorCode.UnknownGuild, "Unknown Guild", "unknown_guild");
      const member = world.memberPayload(guild, userId as string, false);
      // An absent member is an ordinary answer (they may have left), not a fault of the app.
      return member ? json(200, member) : failCode(404, ErrorCode.UnknownMember, "Unknown Member");
    }),
  ];
}
