import type { APIMessage, APIUser } from "discord.js";
import type { SnowflakeFactory } from "./snowflake.ts";
import type { FakeGuildInput, FakeUserInput, RecordedFile } from "./types.ts";
import { MessageFlag } from "./validate-message.ts";

/** Permission bits the fake reasons about (Discord's PermissionFlagsBits). */
const P = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
} as const;

const ALL_PERMISSIONS = (1n << 51n) - 1n;

export const DEFAULT_EVERYONE_PERMISSIONS = Object.values(P)
  .filter((bit) => bit !== P.Administrator)
  .reduce((acc, bit) => acc | bit, 0n)
  .toString();

export interface RoleState {
  id: string;
  name: string;
  permissions: string;
  position: number;
}

export interface MemberState {
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

export interface ChannelState {
  id: string;
  name: string | null;
  /** 0 guild text, 1 DM. */
  type: 0 | 1;
  guildId: string | null;
  recipientId: string | null;
  lastMessageId: string | null;
}

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  appPermissions: string;
  joinedAt: string;
  roles: Map<string, RoleState>;
  members: Map<string, MemberState>;
  channels: ChannelState[];
}

export interface MessageEntry {
  message: APIMessage;
  guildId: string | null;
  /** The interaction whose response or follow-up this is, if any. */
  interactionId: string | null;
  /** The member who may see it when ephemeral. */
  visibleTo: string | null;
  revisions: APIMessage[];
  deleted: boolean;
}

export interface MessageDraft {
  channelId: string;
  body: Record<string, unknown>;
  files: RecordedFile[];
  flags: number;
  guildId: string | null;
  interaction?: { id: string; type: number; userId: string; applicationId: string };
  visibleTo?: string | null;
}

function makeUser(input: FakeUserInput, bot = false): APIUser {
  const user: Record<string, unknown> = {
    id: input.id,
    username: input.username,
    global_name: input.globalName ?? null,
    discriminator: "0",
    avatar: null,
    ...(bot ? { bot: true } : {}),
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
  return user as unknown as APIUser;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export interface WorldOptions {
  ids: SnowflakeFactory;
  applicationId: string;
  bot: FakeUserInput;
  guilds: FakeGuildInput[];
  users: FakeUserInput[];
  cdnBase: string;
}

export type World = ReturnType<typeof createWorld>;

/** The fake's directory of users, guilds, channels and messages. */
export function createWorld(opts: WorldOptions) {
  const { ids } = opts;
  const botUser = makeUser(opts.bot, true);
  const users = new Map<string, APIUser>([[botUser.id, botUser]]);
  const guilds = new Map<string, GuildState>();
  const channels = new Map<string, ChannelState>();
  const dmByUser = new Map<string, ChannelState>();
  const messages = new Map<string, MessageEntry>();
  const now = () => new Date().toISOString();

  for (const u of opts.users) users.set(u.id, makeUser(u));
  for (const g of opts.guilds) {
    const roles = new Map<string, RoleState>();
    roles.set(g.id, { id: g.id, name: "@everyone", permissions: DEFAULT_EVERYONE_PERMISSIONS, position: 0 });
    for (const [i, r] of (g.roles ?? []).entries()) {
      roles.set(r.id, {
        id: r.id,
        name: r.name,
        permissions: r.permissions ?? "0",
        position: r.position ?? i + 1,
      });
    }
    const members = new Map<string, MemberState>();
    const joinedAt = now();
    for (const m of g.members) {
      users.set(m.id, makeUser({ id: m.id, username: m.username, globalName: m.globalName ?? null }));
      members.set(m.id, {
        userId: m.id,
        roles: m.roles ?? [],
        nick: m.nick ?? null,
        joinedAt: m.joinedAt ?? joinedAt,
      });
    }
    members.set(botUser.id, { userId: botUser.id, roles: [], nick: null, joinedAt });
    const guildChannels: ChannelState[] = (g.channels ?? [{ id: ids(), name: "general" }]).map((c) => ({
      id: c.id,
      name: c.name,
      type: 0,
      guildId: g.id,
      recipientId: null,
      lastMessageId: null,
    }));
    for (const c of guildChannels) channels.set(c.id, c);
    guilds.set(g.id, {
      id: g.id,
      name: g.name,
      ownerId: g.ownerId ?? g.members[0]?.id ?? botUser.id,
      preferredLocale: g.preferredLocale ?? "en-US",
      appPermissions: g.appPermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
      joinedAt,
      roles,
      members,
      channels: guildChannels,
    });
  }

  function permissionsOf(guild: GuildState, userId: string): string {
    if (guild.ownerId === userId) return ALL_PERMISSIONS.toString();
    const member = guild.members.get(userId);
    let bits = BigInt(guild.roles.get(guild.id)?.permissions ?? "0");
    for (const roleId of member?.roles ?? []) bits |= BigInt(guild.roles.get(roleId)?.permissions ?? "0");
    return (bits & P.Administrator) !== 0n ? ALL_PERMISSIONS.toString() : bits.toString();
  }

  function rolePayload(role: RoleState) {
    return {
      id: role.id,
      name: role.name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions,
      managed: false,
      mentionable: false,
      flags: 0,
    };
  }

  function channelPayload(channel: ChannelState): Record<string, unknown> {
    if (channel.type === 1) {
      const recipient = channel.recipientId ? users.get(channel.recipientId) : undefined;
      return {
        id: channel.id,
        type: 1,
        last_message_id: channel.lastMessageId,
        flags: 0,
        recipients: recipient ? [clone(recipient)] : [],
      };
    }
    return {
      id: channel.id,
      type: 0,
      guild_id: channel.guildId,
      name: channel.name,
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      topic: null,
      nsfw: false,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: 0,
      flags: 0,
    };
  }

  function memberPayload(guild: GuildState, userId: string, withPermissions: boolean) {
    const member = guild.members.get(userId);
    const user = users.get(userId);
    if (!member || !user) return undefined;
    return {
      user: clone(user),
      nick: member.nick,
      avatar: null,
      banner: null,
      roles: [...member.roles],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
      unusual_dm_activity_until: null,
      ...(withPermissions ? { permissions: permissionsOf(guild, userId) } : {}),
    };
  }

  function guildBase(guild: GuildState) {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [...guild.roles.values()].map(rolePayload),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_members: 500000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: guild.preferredLocale,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      incidents_data: null,
    };
  }

  function attachmentsFrom(channelId: string, files: RecordedFile[]) {
    return files.map((f) => {
      const id = ids();
      const url = `${opts.cdnBase}/attachments/${channelId}/${id}/${encodeURIComponent(f.name)}`;
      return { id, filename: f.name, size: f.size, url, proxy_url: url, content_type: f.contentType };
    });
  }

  return {
    botUser,
    user(id: string): APIUser | undefined {
      const u = users.get(id);
      return u ? clone(u) : undefined;
    },
    guild: (id: string) => guilds.get(id),
    guilds: () => [...guilds.values()],
    channel: (id: string) => channels.get(id),
    channelPayload,
    permissionsOf,
    memberPayload,
    rolePayload,
    /** The REST `GET /guilds/{id}` shape. */
    guildPayload: (guild: GuildState) => ({
      ...guildBase(guild),
      approximate_member_count: guild.members.size,
    }),
    /** The gateway GUILD_CREATE shape (members: only the bot, as without the privileged members intent). */
    guildCreatePayload(guild: GuildState) {
      return {
        ...guildBase(guild),
        joined_at: guild.joinedAt,
        large: false,
        unavailable: false,
        member_count: guild.members.size,
        members: [memberPayload(guild, botUser.id, false)],
        channels: guild.channels.map((c) => {
          const { guild_id: _omitted, ...rest } = channelPayload(c);
          return rest;
        }),
        threads: [],
        presences: [],
        voice_states: [],
        stage_instances: [],
        guild_scheduled_events: [],
        soundboard_sounds: [],
        embedded_activities: [],
        lazy: true,
      };
    },
    openDm(userId: string): ChannelState {
      let channel = dmByUser.get(userId);
      if (!channel) {
        channel = { id: ids(), name: null, type: 1, guildId: null, recipientId: userId, lastMessageId: null };
        dmByUser.set(userId, channel);
        channels.set(channel.id, channel);
      }
      return channel;
    },
    dmChannelOf: (userId: string) => dmByUser.get(userId),

    createMessage(draft: MessageDraft): APIMessage {
      const id = ids();
      const body = draft.body;
      const message: Record<string, unknown> = {
        id,
        channel_id: draft.channelId,
        author: clone(botUser),
        content: typeof body.content === "string" ? body.content : "",
        timestamp: now(),
        edited_timestamp: null,
        tts: body.tts === true,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: attachmentsFrom(draft.channelId, draft.files),
        embeds: Array.isArray(body.embeds) ? clone(body.embeds) : [],
        components: Array.isArray(body.components) ? clone(body.components) : [],
        pinned: false,
        type: draft.interaction?.type === 2 ? 20 : 0,
        flags: draft.flags,
      };
      if (draft.guildId) message.guild_id = draft.guildId;
      if (draft.interaction) {
        const user = users.get(draft.interaction.userId);
        message.webhook_id = draft.interaction.applicationId;
        message.application_id = draft.interaction.applicationId;
        message.interaction_metadata = {
          id: draft.interaction.id,
          type: draft.interaction.type,
          user: user ? clone(user) : undefined,
          authorizing_integration_owners: draft.guildId ? { "0": draft.guildId } : { "0": "0" },
        };
      }
      const apiMessage = message as unknown as APIMessage;
      messages.set(id, {
        message: apiMessage,
        guildId: draft.guildId,
        interactionId: draft.interaction?.id ?? null,
        visibleTo: draft.visibleTo ?? null,
        revisions: [clone(apiMessage)],
        deleted: false,
      });
      const channel = channels.get(draft.channelId);
      if (channel) channel.lastMessageId = id;
      return clone(apiMessage);
    },

    /** Applies an edit body (fields present replace, attachments kept by id) and records a revision. */
    editMessage(
      id: string,
      body: Record<string, unknown>,
      files: RecordedFile[],
      clearLoading: boolean,
    ): APIMessage {
      const entry = messages.get(id);
      if (!entry) throw new Error(`no message ${id}`);
      const target = entry.message as unknown as Record<string, unknown>;
      const wasLoading = ((target.flags as number) & MessageFlag.Loading) !== 0;
      if ("content" in body) target.content = typeof body.content === "string" ? body.content : "";
      if ("embeds" in body) target.embeds = Array.isArray(body.embeds) ? clone(body.embeds) : [];
      if ("components" in body)
        target.components = Array.isArray(body.components) ? clone(body.components) : [];
      if ("flags" in body && typeof body.flags === "number") {
        // Only these flags can change on edit; ephemeral-ness is fixed at creation.
        const mutable = MessageFlag.SuppressEmbeds | MessageFlag.IsComponentsV2;
        target.flags = ((target.flags as number) & ~mutable) | (body.flags & mutable);
      }
      const existing = Array.isArray(target.attachments) ? (target.attachments as { id: string }[]) : [];
      const kept = Array.isArray(body.attachments)
        ? existing.filter((a) => (body.attachments as { id?: unknown }[]).some((k) => String(k.id) === a.id))
        : existing;
      target.attachments = [...kept, ...attachmentsFrom(entry.message.channel_id, files)];
      if (clearLoading && wasLoading) target.flags = (target.flags as number) & ~MessageFlag.Loading;
      // Replacing the loading placeholder is the first real content, not an edit.
      if (!wasLoading) target.edited_timestamp = now();
      entry.revisions.push(clone(entry.message));
      return clone(entry.message);
    },

    deleteMessage(id: string): void {
      const entry = messages.get(id);
      if (entry) entry.deleted = true;
    },

    entry(id: string): MessageEntry | undefined {
      const entry = messages.get(id);
      return entry && !entry.deleted ? entry : undefined;
    },

    message(id: string): APIMessage | undefined {
      const entry = messages.get(id);
      return entry && !entry.deleted ? clone(entry.message) : undefined;
    },

    history(id: string): APIMessage[] {
      return (messages.get(id)?.revisions ?? []).map(clone);
    },

    messagesIn(channelId: string): APIMessage[] {
      return [...messages.values()]
        .filter((e) => !e.deleted && e.message.channel_id === channelId)
        .map((e) => clone(e.message));
    },
  };
}
