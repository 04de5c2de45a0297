import type { APIApplicationCommand } from "discord.js";
import type { SnowflakeFactory } from "./snowflake.ts";

export type CommandStore = ReturnType<typeof createCommandStore>;

/**
 * Registered application commands, global (`null`) or per guild. Like Discord, re-registering a command with the
 * same type and name keeps its id, so ids baked into earlier interactions stay valid.
 */
export function createCommandStore(ids: SnowflakeFactory, applicationId: string) {
  const scopes = new Map<string | null, APIApplicationCommand[]>();
  const scope = (guildId: string | null) => scopes.get(guildId) ?? [];

  function normalize(
    def: Record<string, unknown>,
    guildId: string | null,
    previous: APIApplicationCommand | undefined,
  ): APIApplicationCommand {
    const type = typeof def.type === "number" ? def.type : 1;
    const stored: Record<string, unknown> = {
      ...structuredClone(def),
      id: previous?.id ?? ids(),
      application_id: applicationId,
      version: ids(),
      type,
      description: typeof def.description === "string" ? def.description : "",
      default_member_permissions: def.default_member_permissions ?? null,
      nsfw: def.nsfw === true,
      contexts: def.contexts ?? null,
      integration_types: def.integration_types ?? [0],
    };
    if (guildId) stored.guild_id = guildId;
    else stored.dm_permission = def.dm_permission ?? true;
    return stored as unknown as APIApplicationCommand;
  }

  const sameKey = (a: APIApplicationCommand, def: Record<string, unknown>) =>
    a.name === def.name && a.type === (typeof def.type === "number" ? def.type : 1);

  return {
    list: (guildId: string | null) => structuredClone(scope(guildId)),
    get: (guildId: string | null, id: string) => scope(guildId).find((c) => c.id === id),
    overwrite(guildId: string | null, defs: Record<string, unknown>[]): APIApplicationCommand[] {
      const before = scope(guildId);
      const next = defs.map((def) =>
        normalize(
          def,
          guildId,
          before.find((c) => sameKey(c, def)),
        ),
      );
      scopes.set(guildId, next);
      return structuredClone(next);
    },
    upsert(
      guildId: string | null,
      def: Record<string, unknown>,
    ): { command: APIApplicationCommand; created: boolean } {
      const list = [...scope(guildId)];
      const index = list.findIndex((c) => sameKey(c, def));
      const command = normalize(def, guildId, index >= 0 ? list[index] : undefined);
      if (index >= 0) list[index] = command;
      else list.push(command);
      scopes.set(guildId, list);
      return { command: structuredClone(command), created: index < 0 };
    },
    remove(guildId: string | null, id: string): boolean {
      const list = scope(guildId);
      const next = list.filter((c) => c.id !== id);
      scopes.set(guildId, next);
      return next.length !== list.length;
    },
    /** A chat-input command as a member in `guildId` would see it: guild commands shadow global ones. */
    findChatInput(guildId: string | null, name: string): APIApplicationCommand | undefined {
      const match = (c: APIApplicationCommand) => c.name === name && c.type === 1;
      return (guildId ? scope(guildId).find(match) : undefined) ?? scope(null).find(match);
    },
  };
}
