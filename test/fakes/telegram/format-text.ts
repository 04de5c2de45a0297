/**
 * Turns the `text` / `parse_mode` / `entities` of a send or edit into what Telegram stores: plain
 * text plus entities, trimmed, length-checked after parsing (4096 characters of the parsed text,
 * not of the markup), and with the entities Telegram detects by itself (commands, mentions, links).
 */
import { badRequest } from "./api-error.ts";
import { HtmlParseError, parseHtml, sortEntities } from "./html.ts";
import type { TgMessageEntity } from "./types.ts";

export const MAX_TEXT_LENGTH = 4096;

export interface FormattedText {
  text: string;
  entities: TgMessageEntity[];
}

export function formatMessageText(input: {
  text: unknown;
  parseMode: unknown;
  entities: unknown;
}): FormattedText {
  const raw = typeof input.text === "number" ? String(input.text) : input.text;
  if (typeof raw !== "string" || raw === "") throw badRequest("message text is empty", "text_empty");
  if (Buffer.byteLength(raw, "utf8") > 1 << 15) throw badRequest("text is too long", "text_too_long");

  const parseMode = typeof input.parseMode === "string" ? input.parseMode.toLowerCase() : "";
  let parsed: FormattedText;
  if (parseMode === "" || parseMode === "none") {
    parsed = { text: raw, entities: explicitEntities(input.entities, raw) };
  } else if (parseMode === "html") {
    try {
      parsed = parseHtml(raw);
    } catch (error) {
      if (error instanceof HtmlParseError) {
        throw badRequest(`can't parse entities: ${error.message}`, "parse_entities");
      }
      throw error;
    }
  } else if (parseMode === "markdown" || parseMode === "markdownv2") {
    // Not Telegram behaviour: the fake has no Markdown parser, and skinbridge renders HTML only.
    throw badRequest(
      `parse_mode ${String(input.parseMode)} is not emulated by the fake; use HTML`,
      "parse_mode",
    );
  } else {
    throw badRequest("unsupported parse_mode", "parse_mode");
  }

  const trimmed = trim(parsed);
  if (trimmed.text === "") throw badRequest("message text is empty", "text_empty");
  if ([...trimmed.text].length > MAX_TEXT_LENGTH) throw badRequest("message is too long", "text_too_long");
  return { text: trimmed.text, entities: withDetectedEntities(trimmed) };
}

function explicitEntities(value: unknown, text: string): TgMessageEntity[] {
  if (value === undefined || value === null || value === "") return [];
  const list = typeof value === "string" ? safeJson(value) : value;
  if (!Array.isArray(list)) throw badRequest("can't parse entities JSON object");
  const entities: TgMessageEntity[] = [];
  for (const item of list) {
    if (typeof item !== "object" || item === null)
      throw badRequest("can't parse MessageEntity: expected an Object");
    const e = item as Record<string, unknown>;
    if (typeof e.type !== "string" || !Number.isInteger(e.offset) || !Number.isInteger(e.length)) {
      throw badRequest("can't parse MessageEntity: fields type, offset and length are required");
    }
    const offset = e.offset as number;
    const length = e.length as number;
    // Telegram drops entities that fall outside the text rather than failing the request.
    if (offset < 0 || length <= 0 || offset + length > text.length) continue;
    entities.push({ ...(e as unknown as TgMessageEntity) });
  }
  return sortEntities(entities);
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Telegram strips surrounding whitespace and shifts or clips the entities accordingly. */
function trim({ text, entities }: FormattedText): FormattedText {
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  if (end <= start) return { text: "", entities: [] };
  const out: TgMessageEntity[] = [];
  for (const entity of entities) {
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (to > from) out.push({ ...entity, offset: from - start, length: to - from });
  }
  return { text: text.slice(start, end), entities: out };
}

const DETECTORS: { type: string; pattern: RegExp }[] = [
  {
    type: "bot_command",
    pattern: /(?<![A-Za-z0-9_/])\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_])/g,
  },
  { type: "mention", pattern: /(?<![A-Za-z0-9_@])@[A-Za-z0-9_]{4,32}(?![A-Za-z0-9_])/g },
  { type: "url", pattern: /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g },
];

/** Entity types Telegram does not look inside when detecting commands, mentions and links. */
const OPAQUE = new Set(["code", "pre", "text_link", "text_mention", "custom_emoji"]);

/** The entities Telegram finds in what a user typed (no markup involved). */
export function detectEntities(text: string): TgMessageEntity[] {
  return withDetectedEntities({ text, entities: [] });
}

/**
 * An approximation of Telegram's own entity detection: enough for grammY's command matching
 * (a `bot_command` at offset 0, `@botname` included) and for tests reading links back.
 */
function withDetectedEntities({ text, entities }: FormattedText): TgMessageEntity[] {
  const opaque = entities.filter((e) => OPAQUE.has(e.type));
  const detected: TgMessageEntity[] = [];
  for (const { type, pattern } of DETECTORS) {
    for (const match of text.matchAll(pattern)) {
      const offset = match.index;
      const length = match[0].length;
      const covered = (e: TgMessageEntity) => offset < e.offset + e.length && e.offset < offset + length;
      if (opaque.some(covered) || detected.some(covered)) continue;
      detected.push({ type, offset, length });
    }
  }
  return sortEntities([...entities, ...detected]);
}
