/**
 * Bot API requests carry their parameters in the query string, a JSON body, an urlencoded form or
 * multipart (grammY switches to multipart only when uploading files). All four end up as one flat
 * object; in form encodings every value is a string and structured fields are JSON text, so those
 * are decoded here once so that handlers and recorded calls see the same shapes whatever the client.
 */
import type { IncomingMessage } from "node:http";
import { badRequest } from "./api-error.ts";

export type Params = Record<string, unknown>;

const JSON_FIELDS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "scope",
  "commands",
  "allowed_updates",
  "link_preview_options",
  "reply_parameters",
  "menu_button",
]);

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readParams(req: IncomingMessage, query: URLSearchParams): Promise<Params> {
  const params: Params = {};
  for (const [key, value] of query) params[key] = decodeField(key, value);

  const body = await readBody(req);
  if (body.length === 0) return params;
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();

  if (contentType.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw badRequest("JSON object expected as the request body");
    }
    return { ...params, ...(parsed as Params) };
  }

  if (
    contentType.startsWith("application/x-www-form-urlencoded") ||
    contentType.startsWith("multipart/form-data")
  ) {
    const form = await new Request("http://fake.invalid/", {
      method: "POST",
      headers: { "content-type": req.headers["content-type"] ?? "" },
      body,
    }).formData();
    for (const [key, value] of form) {
      params[key] =
        typeof value === "string"
          ? decodeField(key, value)
          : { file: value.name, size: value.size, type: value.type };
    }
  }
  return params;
}

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function intParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function boolParam(params: Params, name: string): boolean {
  const value = params[name];
  return value === true || value === "true" || value === "1" || value === 1;
}

export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** A chat is named by its numeric id (number or string) or by `@username` for public groups. */
export function chatIdParam(params: Params): number | string {
  const value = params.chat_id;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
    if (trimmed.startsWith("@") && trimmed.length > 1) return trimmed;
  }
  if (value === undefined || value === "") throw badRequest("chat_id is empty");
  throw badRequest("chat not found");
}
