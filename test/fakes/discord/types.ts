import type { APIApplicationCommand, APIInteraction, APIMessage } from "discord.js";

export interface FakeMemberInput {
  id: string;
  username: string;
  globalName?: string | null;
  /** Role ids (the guild's @everyone role is implied). */
  roles?: string[];
  nick?: string | null;
  joinedAt?: string;
}

export interface FakeRoleInput {
  id: string;
  name: string;
  /** Permission bit set as Discord sends it: a decimal string. */
  permissions?: string;
  position?: number;
}

export interface FakeChannelInput {
  id: string;
  name: string;
}

export interface FakeGuildInput {
  id: string;
  name: string;
  members: FakeMemberInput[];
  roles?: FakeRoleInput[];
  /** Text channels; a single "general" channel is made when omitted. */
  channels?: FakeChannelInput[];
  ownerId?: string;
  preferredLocale?: string;
  /** The bot's own permissions in this guild (`app_permissions`). */
  appPermissions?: string;
}

export interface FakeUserInput {
  id: string;
  username: string;
  globalName?: string | null;
}

/**
 * A rate-limit bucket: `route` is the bucket route as @discordjs/rest names it (ids replaced by `:id`, webhook
 * tokens by `:token`, e.g. `/channels/:id/messages`, `/interactions/:id/:token/callback`). Requests are counted per
 * major parameter (channel, guild or webhook), like Discord's buckets.
 */
export interface RateLimitRule {
  method?: string;
  route: string;
  limit: number;
  windowMs: number;
}

export interface FakeDiscordOptions {
  /** The bot token every authenticated REST call and the gateway IDENTIFY must carry. */
  token?: string;
  applicationId?: string;
  /** Defaults to the application id, as for real bots. */
  botUserId?: string;
  botUsername?: string;
  guilds?: FakeGuildInput[];
  /** Users outside any guild (DM-only members). */
  users?: FakeUserInput[];
  /** How long after dispatch the initial interaction response is accepted (Discord: 3 s). */
  ackDeadlineMs?: number;
  /** How long the interaction token accepts webhook calls (Discord: 15 min). */
  interactionTokenTtlMs?: number;
  /** The clock interaction tokens expire on (epoch ms); `Date.now` by default. Ack deadlines stay on real time. */
  now?: () => number;
  /** Users whose DMs are closed: sending them a message answers 403 / 50007. The set stays live. */
  closedDms?: Set<string>;
  rateLimits?: RateLimitRule[];
  /**
   * Discord's global limit: requests a second per bot over any rolling second, interaction
   * responses and follow-ups exempt. Off when omitted.
   */
  globalRequestsPerSecond?: number;
  /** The HELLO heartbeat interval; small values let tests observe heartbeats. Default 41250. */
  heartbeatIntervalMs?: number;
  /** Dispatching a command that was never registered throws (Discord cannot send one). Default true. */
  requireRegisteredCommands?: boolean;
  /** Locale for interactions that don't name one. Default "en-US". */
  defaultLocale?: string;
}

export interface RecordedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
}

/** One REST request as the fake saw it; the Authorization header is redacted. */
export interface RecordedCall {
  method: string;
  /** Path below the versioned base, e.g. `/users/@me/channels`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  files: RecordedFile[];
  status: number;
  /** process.hrtime.bigint() when the request arrived. */
  at: bigint;
}

export type ViolationKind =
  | "invalid_form_body"
  | "empty_message"
  | "interaction_already_acknowledged"
  | "interaction_ack_too_late"
  | "unknown_interaction"
  | "invalid_response_type"
  | "webhook_before_ack"
  | "unknown_webhook"
  | "interaction_token_expired"
  | "unknown_message"
  | "unknown_channel"
  | "unknown_user"
  | "unknown_guild"
  | "unknown_command"
  | "missing_access"
  | "unauthorized"
  | "invalid_json"
  | "unknown_route"
  | "fake_error";

/** Something Discord would have refused; a healthy test run records none. */
export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
  at: bigint;
}

export interface Acknowledgement {
  /** Interaction callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal. */
  type: number;
  data: unknown;
  at: bigint;
}

export type OptionValue = string | number | boolean;

interface InteractionInputBase {
  userId: string;
  /** Defaults to the first guild; `null` makes a DM interaction. Ignored for components (the message decides). */
  guildId?: string | null;
  /** Defaults to the guild's first text channel (or the user's DM channel). */
  channelId?: string;
  locale?: string;
  /** Overrides the fake's ackDeadlineMs for this interaction. */
  ackDeadlineMs?: number;
}

export interface CommandInput extends InteractionInputBase {
  type: "command";
  name: string;
  options?: Record<string, OptionValue>;
  subcommand?: string;
  subcommandGroup?: string;
}

export interface AutocompleteInput extends InteractionInputBase {
  type: "autocomplete";
  name: string;
  /** The option being typed; its value (what the member typed so far) is sent as a string. */
  focused: string;
  options?: Record<string, OptionValue>;
  subcommand?: string;
  subcommandGroup?: string;
}

export interface ButtonInput extends Omit<InteractionInputBase, "guildId" | "channelId"> {
  type: "button";
  customId: string;
  /** The stored message the button is on. */
  messageId: string;
}

export interface SelectInput extends Omit<InteractionInputBase, "guildId" | "channelId"> {
  type: "select";
  customId: string;
  messageId: string;
  values: string[];
}

export interface ModalSubmitInput extends Omit<InteractionInputBase, "userId"> {
  type: "modal";
  customId: string;
  /** Text input values by custom_id (string[] for selects inside labels). */
  fields: Record<string, string | string[]>;
  /** The interaction that showed the modal; its modal layout, user, place and message are reused. */
  from?: InteractionHandle;
  userId?: string;
}

export type InteractionInput =
  | CommandInput
  | AutocompleteInput
  | ButtonInput
  | SelectInput
  | ModalSubmitInput;

export interface InteractionHandle {
  id: string;
  token: string;
  /** The INTERACTION_CREATE payload as sent over the gateway. */
  payload: APIInteraction;
  /** process.hrtime.bigint() when the event was sent. */
  dispatchedAt: bigint;
  /** Resolves on the accepted initial response; rejects when the ack deadline passes without one. */
  acknowledged: Promise<Acknowledgement>;
  ack(): Acknowledgement | null;
  /** The current state of the interaction's original response message (after edits), if any. */
  original(): APIMessage | undefined;
  followUps(): APIMessage[];
  /** The modal shown in response (callback type 9), if any. */
  modal(): Record<string, unknown> | undefined;
}

export interface GatewaySessionInfo {
  sessionId: string;
  shard: [number, number];
  intents: number;
  connected: boolean;
  invalidated: boolean;
  heartbeats: number;
  resumes: number;
  seq: number;
}

export type StoredCommand = APIApplicationCommand;
