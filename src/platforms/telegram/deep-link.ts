/**
 * Money moves only in the private chat. A command sent in a group is answered there with a button
 * that opens the private chat through a deep link (`t.me/<bot>?start=<payload>`); pressing Start
 * sends `/start <payload>`, which runs the command the member meant. Payloads are the command's
 * name and its choice words (`deposit-rust`): Telegram allows 64 characters of `A-Za-z0-9_-`.
 */
import { DEEP_LINKS } from "../../../commands/start.ts";
import type { Args, CommandDefinition } from "../../../commands/types.ts";

const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

export function deepLinkPayload(def: CommandDefinition, args: Args): string | undefined {
  if (!(DEEP_LINKS as readonly string[]).includes(def.name)) return undefined;
  const choiceWords = def.options
    .filter((o) => o.choices && typeof args[o.name] === "string")
    .map((o) => String(args[o.name]));
  const payload = [def.name, ...choiceWords].join("-");
  return PAYLOAD.test(payload) ? payload : def.name;
}

export function deepLinkUrl(botUsername: string, payload: string | undefined): string {
  const base = `https://t.me/${encodeURIComponent(botUsername)}`;
  return payload === undefined ? base : `${base}?start=${payload}`;
}

/** `/start deposit-rust` → the command `deposit` with the text `rust`; undefined for anything else. */
export function readDeepLink(payload: string): { command: string; text: string } | undefined {
  const trimmed = payload.trim();
  if (!PAYLOAD.test(trimmed)) return undefined;
  const [command, ...rest] = trimmed.split("-");
  if (command === undefined || !(DEEP_LINKS as readonly string[]).includes(command)) return undefined;
  return { command, text: rest.join(" ") };
}
