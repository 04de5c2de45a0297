import { isRecord } from "./discord-errors.ts";
import type { OptionValue } from "./types.ts";
import { OptionType } from "./validate-commands.ts";
import { ComponentKind } from "./validate-components.ts";
import type { GuildState, World } from "./world.ts";

/**
 * Turns a test's friendly interaction input into the option trees Discord sends. Inputs Discord's UI could never
 * produce (an unknown option, a value outside the choices, a missing required option) throw: that is a bug in the
 * test, not something the app under test must survive.
 */

interface OptionDef {
  type: number;
  name: string;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string | number }[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  options?: OptionDef[];
}

export interface Resolvable {
  users: Set<string>;
  roles: Set<string>;
  channels: Set<string>;
}

export interface OptionTreeInput {
  commandName: string;
  definition: OptionDef[] | undefined;
  values: Record<string, OptionValue>;
  subcommand?: string;
  subcommandGroup?: string;
  /** The option an autocomplete interaction is typing into. */
  focused?: string;
}

function inferType(value: OptionValue): number {
  if (typeof value === "boolean") return OptionType.Boolean;
  if (typeof value === "number") return Number.isInteger(value) ? OptionType.Integer : OptionType.Number;
  return OptionType.String;
}

function checkValue(where: string, def: OptionDef, value: OptionValue, refs: Resolvable): void {
  const bad = (why: string) => new Error(`${where}: ${why}`);
  switch (def.type) {
    case OptionType.String: {
      if (typeof value !== "string") throw bad("expects a string");
      const len = [...value].length;
      if (def.min_length !== undefined && len < def.min_length) throw bad(`shorter than ${def.min_length}`);
      if (def.max_length !== undefined && len > def.max_length) throw bad(`longer than ${def.max_length}`);
      break;
    }
    case OptionType.Integer:
    case OptionType.Number:
      if (typeof value !== "number" || (def.type === OptionType.Integer && !Number.isInteger(value))) {
        throw bad(def.type === OptionType.Integer ? "expects an integer" : "expects a number");
      }
      if (def.min_value !== undefined && value < def.min_value) throw bad(`below ${def.min_value}`);
      if (def.max_value !== undefined && value > def.max_value) throw bad(`above ${def.max_value}`);
      break;
    case OptionType.Boolean:
      if (typeof value !== "boolean") throw bad("expects a boolean");
      break;
    case OptionType.User:
      refs.users.add(String(value));
      break;
    case OptionType.Role:
      refs.roles.add(String(value));
      break;
    case OptionType.Channel:
      refs.channels.add(String(value));
      break;
    case OptionType.Mentionable:
      refs.users.add(String(value));
      break;
    default:
      throw bad(`option type ${def.type} is not supported by the fake`);
  }
  if (def.choices && !def.choices.some((c) => c.value === value)) {
    throw bad(`value ${JSON.stringify(value)} is not one of the choices`);
  }
}

function leafOptions(input: OptionTreeInput, defs: OptionDef[] | undefined, refs: Resolvable) {
  const where = (name: string) => `/${input.commandName} option "${name}"`;
  const out: Record<string, unknown>[] = [];
  for (const [name, value] of Object.entries(input.values)) {
    const def = defs?.find((d) => d.name === name);
    if (defs && !def) throw new Error(`${where(name)} is not defined by the registered command`);
    const type = def?.type ?? inferType(value);
    if (name === input.focused) {
      if (def && def.autocomplete !== true)
        throw new Error(`${where(name)} does not have autocomplete enabled`);
      // What the member has typed so far is always sent as a string.
      out.push({ name, type, value: String(value), focused: true });
      continue;
    }
    if (def) checkValue(where(name), def, value, refs);
    out.push({ name, type, value });
  }
  if (input.focused !== undefined && !(input.focused in input.values)) {
    const def = defs?.find((d) => d.name === input.focused);
    if (defs && !def) throw new Error(`${where(input.focused)} is not defined by the registered command`);
    if (def && def.autocomplete !== true)
      throw new Error(`${where(input.focused)} does not have autocomplete enabled`);
    out.push({ name: input.focused, type: def?.type ?? OptionType.String, value: "", focused: true });
  }
  if (defs && input.focused === undefined) {
    for (const def of defs) {
      if (def.required && !(def.name in input.values)) throw new Error(`${where(def.name)} is required`);
    }
  }
  return out;
}

/** Builds `data.options` (wrapping subcommand group/subcommand) and collects ids that need `resolved` entries. */
export function buildOptionTree(input: OptionTreeInput): {
  options: Record<string, unknown>[];
  refs: Resolvable;
} {
  const refs: Resolvable = { users: new Set(), roles: new Set(), channels: new Set() };
  const defs = input.definition;
  const pick = (list: OptionDef[] | undefined, name: string, type: number, label: string) => {
    if (!list) return undefined;
    const found = list.find((d) => d.name === name && d.type === type);
    if (!found) throw new Error(`/${input.commandName} has no ${label} "${name}"`);
    return found;
  };
  if (input.subcommandGroup !== undefined) {
    if (input.subcommand === undefined) throw new Error("a subcommand group needs a subcommand");
    const group = pick(defs, input.subcommandGroup, OptionType.SubcommandGroup, "subcommand group");
    const sub = group
      ? pick(group.options ?? [], input.subcommand, OptionType.Subcommand, "subcommand")
      : undefined;
    const leaves = leafOptions(input, defs ? (sub?.options ?? []) : undefined, refs);
    const subOption = { type: OptionType.Subcommand, name: input.subcommand, options: leaves };
    return {
      options: [{ type: OptionType.SubcommandGroup, name: input.subcommandGroup, options: [subOption] }],
      refs,
    };
  }
  if (input.subcommand !== undefined) {
    const sub = pick(defs, input.subcommand, OptionType.Subcommand, "subcommand");
    const leaves = leafOptions(input, defs ? (sub?.options ?? []) : undefined, refs);
    return { options: [{ type: OptionType.Subcommand, name: input.subcommand, options: leaves }], refs };
  }
  if (defs?.some((d) => d.type === OptionType.Subcommand || d.type === OptionType.SubcommandGroup)) {
    throw new Error(`/${input.commandName} needs a subcommand`);
  }
  return { options: leafOptions(input, defs, refs), refs };
}

export function asOptionDefs(options: unknown): OptionDef[] | undefined {
  return Array.isArray(options) ? (options as OptionDef[]) : [];
}

/** The `resolved` object Discord attaches for user, role and channel options. */
export function buildResolved(world: World, guild: GuildState | null, refs: Resolvable) {
  const resolved: Record<string, Record<string, unknown>> = {};
  for (const id of refs.users) {
    const user = world.user(id);
    if (user) {
      resolved.users ??= {};
      resolved.users[id] = user;
      const member = guild ? world.memberPayload(guild, id, true) : undefined;
      if (member) {
        const { user: _user, ...rest } = member;
        resolved.members ??= {};
        resolved.members[id] = rest;
      }
      continue;
    }
    const role = guild?.roles.get(id);
    if (role) {
      resolved.roles ??= {};
      resolved.roles[id] = world.rolePayload(role);
      continue;
    }
    throw new Error(`no user or role ${id} for a mention option`);
  }
  for (const id of refs.roles) {
    const role = guild?.roles.get(id);
    if (!role) throw new Error(`no role ${id} in this guild`);
    resolved.roles ??= {};
    resolved.roles[id] = world.rolePayload(role);
  }
  for (const id of refs.channels) {
    const channel = world.channel(id);
    if (!channel) throw new Error(`no channel ${id}`);
    resolved.channels ??= {};
    resolved.channels[id] = { ...world.channelPayload(channel), permissions: guild?.appPermissions ?? "0" };
  }
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

/**
 * A modal submission's `components`, mirroring the modal the app showed (legacy action rows or Labels) with the
 * member's answers filled in, as Discord does. Checks required inputs and length bounds like the client would.
 */
export function modalSubmitComponents(
  modal: Record<string, unknown>,
  fields: Record<string, string | string[]>,
): Record<string, unknown>[] {
  let nextId = 1;
  const used = new Set<string>();
  const idOf = (c: Record<string, unknown>) => (typeof c.id === "number" ? c.id : nextId++);
  const answer = (input: Record<string, unknown>) => {
    const customId = String(input.custom_id);
    used.add(customId);
    const given = fields[customId];
    if (input.type === ComponentKind.TextInput) {
      if (Array.isArray(given)) throw new Error(`modal field "${customId}" is a text input; give a string`);
      const value = given ?? "";
      const length = [...value].length;
      if (input.required !== false && length === 0) throw new Error(`modal field "${customId}" is required`);
      if (length > 0 && typeof input.min_length === "number" && length < input.min_length) {
        throw new Error(`modal field "${customId}" is shorter than ${input.min_length}`);
      }
      if (typeof input.max_length === "number" && length > input.max_length) {
        throw new Error(`modal field "${customId}" is longer than ${input.max_length}`);
      }
      return { type: ComponentKind.TextInput, id: idOf(input), custom_id: customId, value };
    }
    const values = given === undefined ? [] : Array.isArray(given) ? given : [given];
    return { type: input.type, id: idOf(input), custom_id: customId, values };
  };

  const out: Record<string, unknown>[] = [];
  for (const component of Array.isArray(modal.components) ? modal.components : []) {
    if (!isRecord(component)) continue;
    if (component.type === ComponentKind.ActionRow && Array.isArray(component.components)) {
      const rowId = idOf(component);
      const inputs = component.components.filter(isRecord).map(answer);
      out.push({ type: ComponentKind.ActionRow, id: rowId, components: inputs });
    } else if (component.type === ComponentKind.Label && isRecord(component.component)) {
      const labelId = idOf(component);
      out.push({ type: ComponentKind.Label, id: labelId, component: answer(component.component) });
    } else if (component.type === ComponentKind.TextDisplay) {
      out.push({ type: ComponentKind.TextDisplay, id: idOf(component) });
    }
  }
  for (const key of Object.keys(fields)) {
    if (!used.has(key)) throw new Error(`the modal has no field "${key}"`);
  }
  return out;
}

/** Submissions without a recorded modal: one legacy action row per text field. */
export function plainModalComponents(fields: Record<string, string | string[]>): Record<string, unknown>[] {
  return Object.entries(fields).map(([customId, value], i) => ({
    type: ComponentKind.ActionRow,
    id: i * 2 + 1,
    components: [{ type: ComponentKind.TextInput, id: i * 2 + 2, custom_id: customId, value: String(value) }],
  }));
}
