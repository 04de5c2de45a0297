/**
 * Registers the application commands, globally or on one guild, only when they differ from what
 * Discord already has: a GET, a comparison, and a PUT only on a difference. Re-running it on every
 * deploy is then free, and Discord's daily limit on command creation is never spent on no-ops.
 */
import { type APIApplication, type APIApplicationCommand, type REST, Routes } from "discord.js";
import type { Logger } from "pino";
import type { DiscordCommandJSON } from "./commands.ts";

const COMMAND_KEYS = [
  "type",
  "name",
  "name_localizations",
  "description",
  "description_localizations",
  "options",
  "default_member_permissions",
  "contexts",
  "integration_types",
  "nsfw",
] as const;

const OPTION_KEYS = [
  "type",
  "name",
  "name_localizations",
  "description",
  "description_localizations",
  "required",
  "choices",
  "options",
  "autocomplete",
  "min_length",
  "max_length",
  "min_value",
  "max_value",
  "channel_types",
] as const;

const CHOICE_KEYS = ["name", "name_localizations", "value"] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A value Discord treats like an absent one: null, false, an empty map or list. */
function isDefault(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    v === false ||
    (Array.isArray(v) && v.length === 0) ||
    (isObject(v) && Object.keys(v).length === 0)
  );
}

function pick(source: unknown, keys: readonly string[], child: (key: string, v: unknown) => unknown) {
  const out: Record<string, unknown> = {};
  if (!isObject(source)) return out;
  for (const key of keys) {
    const value = source[key];
    if (isDefault(value)) continue;
    out[key] = child(key, value);
  }
  return out;
}

function sortedMap(v: unknown): unknown {
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
}

function canonicalOption(o: unknown): unknown {
  return pick(o, OPTION_KEYS, (key, v) => {
    if (key === "options" && Array.isArray(v)) return v.map(canonicalOption);
    if (key === "choices" && Array.isArray(v))
      return v.map((c) => pick(c, CHOICE_KEYS, (k, cv) => (k === "name_localizations" ? sortedMap(cv) : cv)));
    if (key.endsWith("_localizations")) return sortedMap(v);
    return v;
  });
}

/** The part of a command that we define, with Discord's defaults and key order out of the way. */
export function canonicalCommand(c: unknown): Record<string, unknown> {
  const out = pick(c, COMMAND_KEYS, (key, v) => {
    if (key === "options" && Array.isArray(v)) return v.map(canonicalOption);
    if (key.endsWith("_localizations")) return sortedMap(v);
    return v;
  });
  out.type ??= 1;
  return out;
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_key, value) => (isObject(value) ? sortedMap(value) : value));
}

/** Whether registering `desired` would change what Discord has (command order does not matter). */
export function commandsDiffer(
  registered: readonly unknown[],
  desired: readonly DiscordCommandJSON[],
): boolean {
  const key = (c: Record<string, unknown>) => `${String(c.type)}:${String(c.name)}`;
  const index = (list: readonly unknown[]) =>
    list
      .map(canonicalCommand)
      .sort((a, b) => key(a).localeCompare(key(b)))
      .map(stable);
  const a = index(registered);
  const b = index(desired);
  return a.length !== b.length || a.some((s, i) => s !== b[i]);
}

export interface RegisterOptions {
  /** A REST client with the bot token set. */
  rest: REST;
  /** Resolved with `GET /applications/@me` when absent. */
  applicationId?: string;
  /** One guild (instant) instead of global. */
  guildId?: string;
  commands: readonly DiscordCommandJSON[];
  logger?: Pick<Logger, "info">;
}

export interface RegisterResult {
  changed: boolean;
  scope: "global" | { guildId: string };
  count: number;
}

export async function registerCommands(opts: RegisterOptions): Promise<RegisterResult> {
  const applicationId =
    opts.applicationId ?? ((await opts.rest.get(Routes.currentApplication())) as APIApplication).id;
  const route =
    opts.guildId !== undefined
      ? Routes.applicationGuildCommands(applicationId, opts.guildId)
      : Routes.applicationCommands(applicationId);
  const scope: RegisterResult["scope"] = opts.guildId !== undefined ? { guildId: opts.guildId } : "global";
  const registered = (await opts.rest.get(route)) as APIApplicationCommand[];
  if (!commandsDiffer(registered, opts.commands)) {
    opts.logger?.info({ scope, count: registered.length }, "Discord commands are up to date");
    return { changed: false, scope, count: registered.length };
  }
  await opts.rest.put(route, { body: opts.commands });
  opts.logger?.info({ scope, count: opts.commands.length }, "Discord commands registered");
  return { changed: true, scope, count: opts.commands.length };
}
