import { randomBytes } from "node:crypto";
import type { APIInteraction, APIMessage } from "discord.js";
import type { CommandStore } from "./commands.ts";
import { findComponent } from "./components.ts";
import { discordError, ErrorCode, FormErrors, isRecord } from "./discord-errors.ts";
import { fail, failCode, type HttpResult, json, noContent, type ParsedRequest } from "./http.ts";
import {
  asOptionDefs,
  buildOptionTree,
  buildResolved,
  modalSubmitComponents,
  plainModalComponents,
} from "./interaction-payloads.ts";
import type { SnowflakeFactory } from "./snowflake.ts";
import type {
  Acknowledgement,
  AutocompleteInput,
  ButtonInput,
  CommandInput,
  InteractionHandle,
  InteractionInput,
  ModalSubmitInput,
  RecordedFile,
  SelectInput,
} from "./types.ts";
import { validateAutocompleteResult, validateModal } from "./validate-callback.ts";
import { ComponentKind } from "./validate-components.ts";
import { isEmptyMessage, MessageFlag, validateMessageBody } from "./validate-message.ts";
import { type ChannelState, DEFAULT_EVERYONE_PERMISSIONS, type GuildState, type World } from "./world.ts";

const InteractionType = {
  ApplicationCommand: 2,
  MessageComponent: 3,
  Autocomplete: 4,
  ModalSubmit: 5,
} as const;

const Callback = {
  Reply: 4,
  DeferredReply: 5,
  DeferredUpdate: 6,
  Update: 7,
  Autocomplete: 8,
  Modal: 9,
} as const;

const CREATE_FLAGS =
  MessageFlag.SuppressEmbeds |
  MessageFlag.Ephemeral |
  MessageFlag.SuppressNotifications |
  MessageFlag.IsComponentsV2;

interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  payload: Record<string, unknown>;
  guildId: string | null;
  channelId: string;
  userId: string;
  dispatchedAt: bigint;
  dispatchedAtMs: number;
  /** When the token was issued, on the injected clock it expires on. */
  tokenIssuedAtMs: number;
  deadlineMs: number;
  ack: Acknowledgement | null;
  acknowledged: Promise<Acknowledgement>;
  resolveAck: (ack: Acknowledgement) => void;
  rejectAck: (error: Error) => void;
  timer: NodeJS.Timeout | null;
  /** What `@original` points at: the reply, or for deferred/updated components the message they sit on. */
  originalMessageId: string | null;
  /** The message a component (or a modal opened from one) was used on. */
  sourceMessageId: string | null;
  followUpIds: string[];
  /** After a deferred reply, the first follow-up replaces the "thinking…" placeholder instead of posting anew. */
  deferredPlaceholderPending: boolean;
  modal: Record<string, unknown> | null;
}

export interface InteractionDeps {
  world: World;
  commands: CommandStore;
  ids: SnowflakeFactory;
  applicationId: string;
  ackDeadlineMs: number;
  tokenTtlMs: number;
  /** The clock tokens expire on. */
  now: () => number;
  requireRegisteredCommands: boolean;
  defaultLocale: string;
  /** Sends INTERACTION_CREATE; returns how many gateway sessions got it. */
  dispatch(payload: Record<string, unknown>, guildId: string | null): number;
  onChange(): void;
}

export type Interactions = ReturnType<typeof createInteractions>;

function allowedCallbacks(rec: InteractionRecord): ReadonlySet<number> {
  switch (rec.type) {
    case InteractionType.ApplicationCommand:
      return new Set([Callback.Reply, Callback.DeferredReply, Callback.Modal]);
    case InteractionType.MessageComponent:
      return new Set([
        Callback.Reply,
        Callback.DeferredReply,
        Callback.DeferredUpdate,
        Callback.Update,
        Callback.Modal,
      ]);
    case InteractionType.Autocomplete:
      return new Set([Callback.Autocomplete]);
    default:
      return rec.sourceMessageId
        ? new Set([Callback.Reply, Callback.DeferredReply, Callback.DeferredUpdate, Callback.Update])
        : new Set([Callback.Reply, Callback.DeferredReply]);
  }
}

function attachmentCountAfterEdit(
  message: APIMessage,
  body: Record<string, unknown>,
  newFiles: number,
): number {
  const existing = message.attachments ?? [];
  const kept = Array.isArray(body.attachments)
    ? existing.filter((a) => (body.attachments as { id?: unknown }[]).some((k) => String(k.id) === a.id))
        .length
    : existing.length;
  return kept + newFiles;
}

/**
 * Interactions the fake has dispatched, and Discord's rules for answering them: one initial response within the
 * deadline, a type that fits the interaction, then webhook edits and follow-ups on the interaction token.
 */
export function createInteractions(deps: InteractionDeps) {
  const { world, ids } = deps;
  const byId = new Map<string, InteractionRecord>();
  const byToken = new Map<string, InteractionRecord>();

  // ---- dispatch ---------------------------------------------------------------------------------------------

  function place(input: { userId: string; guildId?: string | null; channelId?: string }): {
    guild: GuildState | null;
    channel: ChannelState;
  } {
    const guildId = input.guildId === undefined ? (world.guilds()[0]?.id ?? null) : input.guildId;
    if (guildId !== null) {
      const guild = world.guild(guildId);
      if (!guild) throw new Error(`the fake has no guild ${guildId}`);
      if (!guild.members.has(input.userId))
        throw new Error(`user ${input.userId} is not a member of guild ${guildId}`);
      const channel = input.channelId ? world.channel(input.channelId) : guild.channels[0];
      if (!channel || channel.guildId !== guildId)
        throw new Error(`no text channel ${input.channelId} in ${guildId}`);
      return { guild, channel };
    }
    if (!world.user(input.userId)) throw new Error(`the fake has no user ${input.userId}`);
    const channel = input.channelId ? world.channel(input.channelId) : world.openDm(input.userId);
    if (!channel) throw new Error(`no channel ${input.channelId}`);
    return { guild: null, channel };
  }

  function basePayload(
    type: number,
    userId: string,
    guild: GuildState | null,
    channel: ChannelState,
    locale: string | undefined,
  ): Record<string, unknown> {
    const payload: Record<string, unknown> = {
      id: ids(),
      application_id: deps.applicationId,
      type,
      token: randomBytes(48).toString("base64url"),
      version: 1,
      locale: locale ?? deps.defaultLocale,
      entitlements: [],
      attachment_size_limit: 10 * 1024 * 1024,
      channel_id: channel.id,
      channel: world.channelPayload(channel),
      // Guild installs report the guild; in the bot's DMs the owner key holds "0".
      authorizing_integration_owners: { "0": guild ? guild.id : "0" },
      context: guild ? 0 : 1,
    };
    if (guild) {
      payload.guild_id = guild.id;
      payload.guild = { id: guild.id, locale: guild.preferredLocale, features: [] };
      payload.guild_locale = guild.preferredLocale;
      payload.member = world.memberPayload(guild, userId, true);
      payload.app_permissions = guild.appPermissions;
    } else {
      payload.user = world.user(userId);
      payload.app_permissions = DEFAULT_EVERYONE_PERMISSIONS;
    }
    return payload;
  }

  function commandData(input: CommandInput | AutocompleteInput, guild: GuildState | null) {
    const registered = deps.commands.findChatInput(guild?.id ?? null, input.name);
    if (!registered && deps.requireRegisteredCommands) {
      throw new Error(
        `/${input.name} is not registered (globally or in this guild); Discord could not send it`,
      );
    }
    const { options, refs } = buildOptionTree({
      commandName: input.name,
      definition: registered ? asOptionDefs(registered.options) : undefined,
      values: input.options ?? {},
      ...(input.subcommand !== undefined ? { subcommand: input.subcommand } : {}),
      ...(input.subcommandGroup !== undefined ? { subcommandGroup: input.subcommandGroup } : {}),
      ...(input.type === "autocomplete" ? { focused: input.focused } : {}),
    });
    const data: Record<string, unknown> = { id: registered?.id ?? ids(), name: input.name, type: 1 };
    if (options.length > 0) data.options = options;
    if (registered?.guild_id) data.guild_id = registered.guild_id;
    const resolved = buildResolved(world, guild, refs);
    if (resolved) data.resolved = resolved;
    return data;
  }

  function componentTarget(input: ButtonInput | SelectInput) {
    const entry = world.entry(input.messageId);
    if (!entry) throw new Error(`no message ${input.messageId} to use a component on`);
    const message = entry.message;
    const flags = message.flags ?? 0;
    if (flags & MessageFlag.Loading) throw new Error(`message ${input.messageId} is still loading`);
    if (flags & MessageFlag.Ephemeral && entry.visibleTo && entry.visibleTo !== input.userId) {
      throw new Error(`message ${input.messageId} is ephemeral and only visible to ${entry.visibleTo}`);
    }
    const component = findComponent(message, input.customId);
    if (!component)
      throw new Error(`message ${input.messageId} has no component with custom_id "${input.customId}"`);
    if (component.disabled === true) throw new Error(`component "${input.customId}" is disabled`);
    const channel = world.channel(message.channel_id);
    if (!channel) throw new Error(`message ${input.messageId} is in an unknown channel`);
    const guild = entry.guildId ? (world.guild(entry.guildId) ?? null) : null;
    return { entry, component, channel, guild };
  }

  function checkSelectValues(input: SelectInput, component: Record<string, unknown>): void {
    const min = typeof component.min_values === "number" ? component.min_values : 1;
    const max = typeof component.max_values === "number" ? component.max_values : 1;
    if (input.values.length < min || input.values.length > max) {
      throw new Error(`select "${input.customId}" takes ${min}–${max} values, got ${input.values.length}`);
    }
    const offered = new Set(
      (Array.isArray(component.options) ? component.options : []).map((o) =>
        isRecord(o) ? o.value : undefined,
      ),
    );
    for (const value of input.values) {
      if (!offered.has(value)) throw new Error(`select "${input.customId}" offers no value "${value}"`);
    }
  }

  function build(input: InteractionInput): {
    payload: Record<string, unknown>;
    guild: GuildState | null;
    channel: ChannelState;
    userId: string;
    sourceMessageId: string | null;
  } {
    switch (input.type) {
      case "command":
      case "autocomplete": {
        const { guild, channel } = place(input);
        const type =
          input.type === "command" ? InteractionType.ApplicationCommand : InteractionType.Autocomplete;
        const payload = basePayload(type, input.userId, guild, channel, input.locale);
        payload.data = commandData(input, guild);
        return { payload, guild, channel, userId: input.userId, sourceMessageId: null };
      }
      case "button":
      case "select": {
        const { entry, component, channel, guild } = componentTarget(input);
        const expected = input.type === "button" ? ComponentKind.Button : ComponentKind.StringSelect;
        if (component.type !== expected) {
          throw new Error(
            `component "${input.customId}" is type ${String(component.type)}, not a ${input.type}`,
          );
        }
        if (guild && !guild.members.has(input.userId))
          throw new Error(`user ${input.userId} is not in the guild`);
        const payload = basePayload(
          InteractionType.MessageComponent,
          input.userId,
          guild,
          channel,
          input.locale,
        );
        payload.data =
          input.type === "button"
            ? { custom_id: input.customId, component_type: ComponentKind.Button }
            : {
                custom_id: input.customId,
                component_type: ComponentKind.StringSelect,
                values: [...input.values],
              };
        if (input.type === "select") checkSelectValues(input, component);
        payload.message = structuredClone(entry.message);
        return { payload, guild, channel, userId: input.userId, sourceMessageId: entry.message.id };
      }
      case "modal":
        return buildModalSubmit(input);
    }
  }

  function buildModalSubmit(input: ModalSubmitInput) {
    const from = input.from ? byId.get(input.from.id) : undefined;
    if (input.from && !from) throw new Error(`unknown interaction ${input.from.id}`);
    if (from) {
      if (!from.modal) throw new Error(`interaction ${from.id} did not show a modal`);
      if (from.modal.custom_id !== input.customId) {
        throw new Error(
          `the modal shown has custom_id "${String(from.modal.custom_id)}", not "${input.customId}"`,
        );
      }
      const guild = from.guildId ? (world.guild(from.guildId) ?? null) : null;
      const channel = world.channel(from.channelId);
      if (!channel) throw new Error(`channel ${from.channelId} is gone`);
      const payload = basePayload(InteractionType.ModalSubmit, from.userId, guild, channel, input.locale);
      payload.data = {
        custom_id: input.customId,
        components: modalSubmitComponents(from.modal, input.fields),
      };
      const source = from.sourceMessageId ? world.message(from.sourceMessageId) : undefined;
      if (source) payload.message = source;
      return { payload, guild, channel, userId: from.userId, sourceMessageId: source ? source.id : null };
    }
    if (!input.userId) throw new Error("a modal submit without `from` needs a userId");
    const { guild, channel } = place({ ...input, userId: input.userId });
    const payload = basePayload(InteractionType.ModalSubmit, input.userId, guild, channel, input.locale);
    payload.data = { custom_id: input.customId, components: plainModalComponents(input.fields) };
    return { payload, guild, channel, userId: input.userId, sourceMessageId: null };
  }

  function handleOf(rec: InteractionRecord): InteractionHandle {
    return {
      id: rec.id,
      token: rec.token,
      payload: structuredClone(rec.payload) as unknown as APIInteraction,
      dispatchedAt: rec.dispatchedAt,
      acknowledged: rec.acknowledged,
      ack: () => rec.ack,
      original: () => (rec.originalMessageId ? world.message(rec.originalMessageId) : undefined),
      followUps: () =>
        rec.followUpIds.map((id) => world.message(id)).filter((m): m is APIMessage => m !== undefined),
      modal: () => (rec.modal ? structuredClone(rec.modal) : undefined),
    };
  }

  function dispatch(input: InteractionInput): InteractionHandle {
    const built = build(input);
    const payload = built.payload;
    let resolveAck!: (ack: Acknowledgement) => void;
    let rejectAck!: (error: Error) => void;
    const acknowledged = new Promise<Acknowledgement>((resolve, reject) => {
      resolveAck = resolve;
      rejectAck = reject;
    });
    // Tests that never look at `acknowledged` must not see an unhandled rejection when the deadline passes.
    acknowledged.catch(() => {});
    const rec: InteractionRecord = {
      id: String(payload.id),
      token: String(payload.token),
      type: Number(payload.type),
      payload,
      guildId: built.guild?.id ?? null,
      channelId: built.channel.id,
      userId: built.userId,
      dispatchedAt: 0n,
      dispatchedAtMs: 0,
      tokenIssuedAtMs: 0,
      deadlineMs: input.ackDeadlineMs ?? deps.ackDeadlineMs,
      ack: null,
      acknowledged,
      resolveAck,
      rejectAck,
      timer: null,
      originalMessageId: null,
      sourceMessageId: built.sourceMessageId,
      followUpIds: [],
      deferredPlaceholderPending: false,
      modal: null,
    };
    byId.set(rec.id, rec);
    byToken.set(rec.token, rec);
    rec.dispatchedAt = process.hrtime.bigint();
    rec.dispatchedAtMs = Date.now();
    rec.tokenIssuedAtMs = deps.now();
    const delivered = deps.dispatch(payload, rec.guildId);
    if (delivered === 0) {
      byId.delete(rec.id);
      byToken.delete(rec.token);
      throw new Error("no gateway session can receive INTERACTION_CREATE: has the client logged in?");
    }
    rec.timer = setTimeout(() => {
      rec.timer = null;
      if (!rec.ack) {
        rec.rejectAck(new Error(`interaction ${rec.id} was not acknowledged within ${rec.deadlineMs} ms`));
        deps.onChange();
      }
    }, rec.deadlineMs);
    rec.timer.unref();
    deps.onChange();
    return handleOf(rec);
  }

  // ---- initial response -------------------------------------------------------------------------------------

  function createResponseMessage(
    rec: InteractionRecord,
    body: Record<string, unknown>,
    flags: number,
    files: RecordedFile[] = [],
  ) {
    return world.createMessage({
      channelId: rec.channelId,
      body,
      files,
      flags,
      guildId: rec.guildId,
      interaction: { id: rec.id, type: rec.type, userId: rec.userId, applicationId: deps.applicationId },
      visibleTo: flags & MessageFlag.Ephemeral ? rec.userId : null,
    });
  }

  function callback(id: string, token: string, req: ParsedRequest): HttpResult {
    const rec = byId.get(id);
    if (!rec || rec.token !== token) {
      return failCode(404, ErrorCode.UnknownInteraction, "Unknown interaction", "unknown_interaction");
    }
    if (rec.ack) {
      return failCode(
        400,
        ErrorCode.InteractionAlreadyAcknowledged,
        "Interaction has already been acknowledged.",
        "interaction_already_acknowledged",
      );
    }
    const elapsed = Date.now() - rec.dispatchedAtMs;
    if (elapsed > rec.deadlineMs) {
      return fail(
        404,
        discordError(ErrorCode.UnknownInteraction, "Unknown interaction"),
        "interaction_ack_too_late",
        `initial response ${elapsed} ms after dispatch (deadline ${rec.deadlineMs} ms)`,
      );
    }
    const body = req.body;
    const errors = new FormErrors();
    if (!isRecord(body) || typeof body.type !== "number") {
      errors.add(["type"], "BASE_TYPE_REQUIRED", "This field is required");
      return fail(400, errors.toBody(), "invalid_form_body", errors.summary());
    }
    const type = body.type;
    const allowed = allowedCallbacks(rec);
    if (!allowed.has(type)) {
      errors.add(["type"], "BASE_TYPE_CHOICES", `Value must be one of {${[...allowed].join(", ")}}.`);
      return fail(
        400,
        errors.toBody(),
        "invalid_response_type",
        `callback type ${type} is not valid for interaction type ${rec.type}`,
      );
    }
    const data = isRecord(body.data) ? body.data : undefined;
    const source = rec.sourceMessageId ? world.entry(rec.sourceMessageId) : undefined;
    switch (type) {
      case Callback.Reply:
        if (!data) errors.add(["data"], "BASE_TYPE_REQUIRED", "This field is required");
        else validateMessageBody(errors, ["data"], data, { allowEphemeral: true });
        break;
      case Callback.DeferredReply:
        if (data) validateMessageBody(errors, ["data"], { flags: data.flags }, { allowEphemeral: true });
        break;
      case Callback.Update:
        if (!data) errors.add(["data"], "BASE_TYPE_REQUIRED", "This field is required");
        else
          validateMessageBody(errors, ["data"], data, { allowEphemeral: true }, source?.message.flags ?? 0);
        break;
      case Callback.Autocomplete:
        validateAutocompleteResult(errors, ["data"], body.data);
        break;
      case Callback.Modal:
        validateModal(errors, ["data"], body.data);
        break;
    }
    if (!errors.empty) return fail(400, errors.toBody(), "invalid_form_body", errors.summary());

    let resourceMessage: APIMessage | undefined;
    switch (type) {
      case Callback.Reply: {
        const reply = data as Record<string, unknown>;
        if (isEmptyMessage({ ...reply, attachments: req.files })) {
          return failCode(
            400,
            ErrorCode.CannotSendEmptyMessage,
            "Cannot send an empty message",
            "empty_message",
          );
        }
        const flags = (typeof reply.flags === "number" ? reply.flags : 0) & CREATE_FLAGS;
        resourceMessage = createResponseMessage(rec, reply, flags, req.files);
        rec.originalMessageId = resourceMessage.id;
        break;
      }
      case Callback.DeferredReply: {
        const ephemeral = (typeof data?.flags === "number" ? data.flags : 0) & MessageFlag.Ephemeral;
        const placeholder = createResponseMessage(rec, {}, ephemeral | MessageFlag.Loading);
        rec.originalMessageId = placeholder.id;
        rec.deferredPlaceholderPending = true;
        break;
      }
      case Callback.DeferredUpdate:
        rec.originalMessageId = rec.sourceMessageId;
        break;
      case Callback.Update: {
        const target = rec.sourceMessageId as string;
        const existing = world.entry(target)?.message;
        const after = { ...existing, ...data, attachments: [] } as Record<string, unknown>;
        const attachments = existing ? attachmentCountAfterEdit(existing, data ?? {}, req.files.length) : 0;
        if (isEmptyMessage(after) && attachments === 0) {
          return failCode(
            400,
            ErrorCode.CannotSendEmptyMessage,
            "Cannot send an empty message",
            "empty_message",
          );
        }
        resourceMessage = world.editMessage(target, data ?? {}, req.files, false);
        rec.originalMessageId = target;
        break;
      }
      case Callback.Modal:
        rec.modal = structuredClone(body.data as Record<string, unknown>);
        break;
    }

    const ack: Acknowledgement = {
      type,
      data: body.data === undefined ? null : structuredClone(body.data),
      at: process.hrtime.bigint(),
    };
    rec.ack = ack;
    if (rec.timer) clearTimeout(rec.timer);
    rec.timer = null;
    rec.resolveAck(ack);
    deps.onChange();

    if (req.query.get("with_response") !== "true") return noContent;
    const original = rec.originalMessageId ? world.message(rec.originalMessageId) : undefined;
    const interaction: Record<string, unknown> = { id: rec.id, type: rec.type };
    if (original) {
      interaction.response_message_id = original.id;
      interaction.response_message_loading = ((original.flags ?? 0) & MessageFlag.Loading) !== 0;
      interaction.response_message_ephemeral = ((original.flags ?? 0) & MessageFlag.Ephemeral) !== 0;
    }
    return json(200, {
      interaction,
      resource: { type, ...(resourceMessage ? { message: resourceMessage } : {}) },
    });
  }

  // ---- webhook (follow-ups and edits on the interaction token) ----------------------------------------------

  function webhookRecord(appId: string, token: string): InteractionRecord | HttpResult {
    const rec = byToken.get(token);
    if (appId !== deps.applicationId || !rec) {
      return failCode(404, ErrorCode.UnknownWebhook, "Unknown Webhook", "unknown_webhook");
    }
    if (deps.now() - rec.tokenIssuedAtMs > deps.tokenTtlMs) {
      return failCode(
        401,
        ErrorCode.InvalidWebhookToken,
        "Invalid Webhook Token",
        "interaction_token_expired",
      );
    }
    // The interaction webhook exists only once the interaction has been answered (and never for autocomplete).
    if (!rec.ack || rec.ack.type === Callback.Autocomplete) {
      return fail(
        404,
        discordError(ErrorCode.UnknownWebhook, "Unknown Webhook"),
        "webhook_before_ack",
        `webhook call on interaction ${rec.id} before its initial response`,
      );
    }
    return rec;
  }

  function followUp(appId: string, token: string, req: ParsedRequest): HttpResult {
    const rec = webhookRecord(appId, token);
    if (!("id" in rec)) return rec;
    const body = isRecord(req.body) ? req.body : {};
    const errors = new FormErrors();
    validateMessageBody(errors, [], body, { allowEphemeral: true });
    if (!errors.empty) return fail(400, errors.toBody(), "invalid_form_body", errors.summary());
    if (isEmptyMessage({ ...body, attachments: req.files })) {
      return failCode(400, ErrorCode.CannotSendEmptyMessage, "Cannot send an empty message", "empty_message");
    }
    if (rec.deferredPlaceholderPending && rec.originalMessageId) {
      rec.deferredPlaceholderPending = false;
      const message = world.editMessage(rec.originalMessageId, body, req.files, true);
      deps.onChange();
      return json(200, message);
    }
    const flags = (typeof body.flags === "number" ? body.flags : 0) & CREATE_FLAGS;
    const message = createResponseMessage(rec, body, flags, req.files);
    rec.followUpIds.push(message.id);
    deps.onChange();
    return json(200, message);
  }

  function webhookMessage(appId: string, token: string, ref: string, req: ParsedRequest): HttpResult {
    const rec = webhookRecord(appId, token);
    if (!("id" in rec)) return rec;
    const messageId = ref === "@original" ? rec.originalMessageId : ref;
    const owned =
      messageId !== null && (messageId === rec.originalMessageId || rec.followUpIds.includes(messageId));
    const entry = owned && messageId ? world.entry(messageId) : undefined;
    if (!messageId || !entry) {
      return failCode(404, ErrorCode.UnknownMessage, "Unknown Message", "unknown_message");
    }
    if (req.method === "GET") return json(200, world.message(messageId));
    if (req.method === "DELETE") {
      world.deleteMessage(messageId);
      deps.onChange();
      return noContent;
    }
    const body = isRecord(req.body) ? req.body : {};
    const errors = new FormErrors();
    validateMessageBody(errors, [], body, { allowEphemeral: true }, entry.message.flags ?? 0);
    if (!errors.empty) return fail(400, errors.toBody(), "invalid_form_body", errors.summary());
    const after = { ...entry.message, ...body, attachments: [] } as Record<string, unknown>;
    if (isEmptyMessage(after) && attachmentCountAfterEdit(entry.message, body, req.files.length) === 0) {
      return failCode(400, ErrorCode.CannotSendEmptyMessage, "Cannot send an empty message", "empty_message");
    }
    if (messageId === rec.originalMessageId) rec.deferredPlaceholderPending = false;
    const message = world.editMessage(messageId, body, req.files, true);
    deps.onChange();
    return json(200, message);
  }

  return {
    dispatch,
    callback,
    followUp,
    webhookMessage,
    handle(id: string): InteractionHandle | undefined {
      const rec = byId.get(id);
      return rec ? handleOf(rec) : undefined;
    },
    all: (): InteractionHandle[] => [...byId.values()].map(handleOf),
    close(): void {
      for (const rec of byId.values()) if (rec.timer) clearTimeout(rec.timer);
    },
  };
}
