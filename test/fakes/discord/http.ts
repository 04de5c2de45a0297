import type { IncomingMessage, ServerResponse } from "node:http";
import { type DiscordErrorBody, discordError, ErrorCode } from "./discord-errors.ts";
import type { RecordedFile, ViolationKind } from "./types.ts";

export interface ParsedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  files: RecordedFile[];
}

/** What a route answers; a `violation` is recorded alongside the call. */
export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  violation?: { kind: ViolationKind; message: string };
}

export function json(status: number, body: unknown): HttpResult {
  return { status, body };
}

export const noContent: HttpResult = { status: 204 };

export function fail(
  status: number,
  body: DiscordErrorBody,
  kind?: ViolationKind,
  detail?: string,
): HttpResult {
  return kind ? { status, body, violation: { kind, message: detail ?? body.message } } : { status, body };
}

export function failCode(status: number, code: number, message: string, kind?: ViolationKind): HttpResult {
  return fail(status, discordError(code, message), kind);
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Decodes a JSON body, or a multipart one as @discordjs/rest sends when files are attached (`payload_json` plus
 * `files[n]` parts).
 */
export async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: RecordedFile[] } | { error: HttpResult }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const invalid = {
    error: failCode(400, ErrorCode.InvalidJson, "The request body contains invalid JSON.", "invalid_json"),
  };
  if (contentType?.startsWith("multipart/form-data")) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { "content-type": contentType },
    }).formData();
    const files: RecordedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") {
          try {
            body = JSON.parse(value);
          } catch {
            return invalid;
          }
        }
      } else {
        files.push({
          field,
          name: value.name,
          size: value.size,
          contentType: value.type || "application/octet-stream",
        });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString("utf8")), files: [] };
  } catch {
    return invalid;
  }
}

export function send(res: ServerResponse, result: HttpResult): void {
  const headers: Record<string, string> = { ...result.headers };
  if (result.body === undefined || result.status === 204) {
    res.writeHead(result.status, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(result.body);
  headers["content-type"] = "application/json";
  res.writeHead(result.status, headers);
  res.end(payload);
}

/** Headers worth recording, with the bot token never kept. */
export function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = name === "authorization" ? "[REDACTED]" : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
