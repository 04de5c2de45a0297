/**
 * Telegram's HTML parse mode, written after the algorithm of TDLib's `parse_html` (the parser the
 * real Bot API server runs) so errors carry the same wording and UTF-8 byte offsets. One
 * deliberate difference: TDLib lets a bare `>` or an `&` that starts no entity through, while the
 * Bot API documentation says every `<`, `>` and `&` outside a tag or entity must be escaped. The
 * fake enforces the documented rule, so text that only works by TDLib's leniency fails here.
 */
import type { TgMessageEntity } from "./types.ts";

export class HtmlParseError extends Error {
  override readonly name = "HtmlParseError";
}

export interface ParsedText {
  text: string;
  entities: TgMessageEntity[];
}

const SUPPORTED_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "tg-emoji",
  "code",
  "pre",
  "blockquote",
]);

const SIMPLE_TAG_TYPES: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
};

interface OpenTag {
  name: string;
  /** href, code language, spoiler class or custom emoji id, depending on the tag. */
  argument: string;
  expandable: boolean;
  offset: number;
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\f" || c === "\v";
}

function isNameTokenChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9.-]/.test(c);
}

/** Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric references; null when `&` starts none. */
function decodeEntity(text: string, pos: number): { char: string; end: number } | null {
  let end = pos + 1;
  let code: number;
  if (text[end] === "#") {
    end++;
    const hex = text[end] === "x";
    if (hex) end++;
    const digits = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    const start = end;
    while (end < text.length && digits.test(text[end]!)) end++;
    if (end === start || end - pos >= 10) return null;
    code = Number.parseInt(text.slice(start, end), hex ? 16 : 10);
    if (code === 0 || code >= 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  } else {
    const start = end;
    while (end < text.length && /[A-Za-z]/.test(text[end]!)) end++;
    const name = text.slice(start, end);
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const value = named[name];
    if (value === undefined) return null;
    code = value;
  }
  if (text[end] === ";") end++;
  return { char: String.fromCodePoint(code), end };
}

export function parseHtml(html: string): ParsedText {
  const byteOffset = (pos: number): number => Buffer.byteLength(html.slice(0, pos), "utf8");
  const fail = (message: string): never => {
    throw new HtmlParseError(message);
  };

  let out = "";
  const entities: TgMessageEntity[] = [];
  const open: OpenTag[] = [];
  let i = 0;

  while (i < html.length) {
    const c = html[i]!;
    if (c === "&") {
      const decoded = decodeEntity(html, i);
      if (!decoded) fail(`Character '&' must be escaped as "&amp;" at byte offset ${byteOffset(i)}`);
      out += decoded!.char;
      i = decoded!.end;
      continue;
    }
    if (c === ">") fail(`Character '>' must be escaped as "&gt;" at byte offset ${byteOffset(i)}`);
    if (c !== "<") {
      out += c;
      i++;
      continue;
    }

    const beginPos = i++;
    if (html[i] !== "/") {
      while (i < html.length && !isSpace(html[i]) && html[i] !== ">") i++;
      if (i >= html.length) fail(`Unclosed start tag at byte offset ${byteOffset(beginPos)}`);
      const name = html.slice(beginPos + 1, i).toLowerCase();
      if (!SUPPORTED_TAGS.has(name)) {
        fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(beginPos)}`);
      }

      let argument = "";
      let expandable = false;
      while (html[i] !== ">") {
        while (i < html.length && isSpace(html[i])) i++;
        if (html[i] === ">") break;
        const attrBegin = i;
        while (i < html.length && !isSpace(html[i]) && html[i] !== "=" && html[i] !== ">") i++;
        const attrName = html.slice(attrBegin, i).toLowerCase();
        if (attrName === "") {
          fail(`Empty attribute name in the tag "${name}" at byte offset ${byteOffset(beginPos)}`);
        }
        while (i < html.length && isSpace(html[i])) i++;
        if (html[i] !== "=") {
          if (name === "blockquote" && attrName === "expandable") {
            expandable = true;
            continue;
          }
          fail(
            `Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${byteOffset(beginPos)}`,
          );
        }
        i++;
        while (i < html.length && isSpace(html[i])) i++;
        if (i >= html.length) fail(`Unclosed start tag "${name}" at byte offset ${byteOffset(beginPos)}`);

        let value = "";
        const quote = html[i];
        if (quote !== '"' && quote !== "'") {
          const tokenBegin = i;
          while (isNameTokenChar(html[i])) i++;
          value = html.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(html[i]) && html[i] !== ">") {
            fail(`Unexpected end of name token at byte offset ${byteOffset(tokenBegin)}`);
          }
        } else {
          i++;
          while (i < html.length && html[i] !== quote) {
            const decoded = html[i] === "&" ? decodeEntity(html, i) : null;
            if (decoded) {
              value += decoded.char;
              i = decoded.end;
            } else {
              value += html[i];
              i++;
            }
          }
          if (html[i] !== quote) fail(`Unclosed start tag at byte offset ${byteOffset(beginPos)}`);
          i++;
        }
        if (i >= html.length) fail(`Unclosed start tag at byte offset ${byteOffset(beginPos)}`);

        if (name === "a" && attrName === "href") argument = value;
        else if (name === "code" && attrName === "class" && value.startsWith("language-")) {
          argument = value.slice("language-".length);
        } else if (name === "span" && attrName === "class" && value.startsWith("tg-")) {
          argument = value.slice("tg-".length);
        } else if (name === "tg-emoji" && attrName === "emoji-id") argument = value;
      }
      i++;

      if (name === "span" && argument !== "spoiler") {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(beginPos)}`);
      }
      if (name === "tg-emoji" && !/^[0-9]+$/.test(argument)) {
        fail(
          `Custom emoji entity must contain a valid custom emoji identifier at byte offset ${byteOffset(beginPos)}`,
        );
      }
      open.push({ name, argument, expandable, offset: out.length });
      continue;
    }

    // An end tag: `</name>`, or `</>` which closes whatever is open.
    if (open.length === 0) fail(`Unexpected end tag at byte offset ${byteOffset(beginPos)}`);
    i++;
    while (i < html.length && !isSpace(html[i]) && html[i] !== ">") i++;
    const endName = html.slice(beginPos + 2, i);
    while (i < html.length && isSpace(html[i])) i++;
    if (html[i] !== ">") fail(`Unclosed end tag at byte offset ${byteOffset(beginPos)}`);
    i++;
    const tag = open.pop()!;
    if (endName !== "" && endName.toLowerCase() !== tag.name) {
      fail(
        `Unmatched end tag at byte offset ${byteOffset(beginPos)}, expected "</${tag.name}>", found "</${endName}>"`,
      );
    }
    const length = out.length - tag.offset;
    if (length > 0) closeEntity(tag, length, out, entities);
  }

  if (open.length > 0) {
    fail(`Can't find end tag corresponding to start tag "${open[open.length - 1]!.name}"`);
  }
  for (const entity of entities) if (entity.type === "code") delete entity.language;
  return { text: out, entities: sortEntities(entities) };
}

function closeEntity(tag: OpenTag, length: number, out: string, entities: TgMessageEntity[]): void {
  const offset = tag.offset;
  const simple = SIMPLE_TAG_TYPES[tag.name];
  if (simple) {
    entities.push({ type: simple, offset, length });
    return;
  }
  switch (tag.name) {
    case "a": {
      const url = tag.argument || out.slice(offset);
      const mention = /^tg:\/\/user\?id=(\d+)$/.exec(url);
      if (mention) {
        entities.push({
          type: "text_mention",
          offset,
          length,
          user: { id: Number(mention[1]), is_bot: false, first_name: "" },
        });
      } else if (isAcceptableUrl(url)) {
        entities.push({ type: "text_link", offset, length, url });
      }
      // Telegram silently drops a link whose URL it cannot use; so does the fake.
      return;
    }
    case "code": {
      const last = entities[entities.length - 1];
      if (last?.type === "pre" && last.offset === offset && last.length === length && tag.argument) {
        last.language = tag.argument;
      } else {
        // The language rides along until a surrounding <pre> claims it; plain code drops it.
        const code: TgMessageEntity = { type: "code", offset, length };
        if (tag.argument) code.language = tag.argument;
        entities.push(code);
      }
      return;
    }
    case "pre": {
      const last = entities[entities.length - 1];
      if (last?.type === "code" && last.offset === offset && last.length === length && last.language) {
        last.type = "pre";
      } else {
        entities.push({ type: "pre", offset, length });
      }
      return;
    }
    case "blockquote":
      entities.push({ type: tag.expandable ? "expandable_blockquote" : "blockquote", offset, length });
      return;
    case "tg-emoji":
      entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: tag.argument });
      return;
  }
}

function isAcceptableUrl(url: string): boolean {
  if (/^(https?|tg|ton):\/\//i.test(url)) return URL.canParse(url);
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(\/\S*)?$/.test(url);
}

/** Telegram orders entities by offset, the longer (outer) one first when two start together. */
export function sortEntities(entities: TgMessageEntity[]): TgMessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
}
