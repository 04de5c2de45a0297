/**
 * A tiny router for node:http: path templates with `{param}` segments as in the contract, JSON
 * body reading with a size cap, and the envelope on every answer. No framework on purpose: the
 * sandbox must control every byte (status, headers, envelope) the way the real API sends them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ClientClaims } from "../assetpay/token.ts";
import { ApiError, validationError } from "./errors.ts";

export type Caller =
  | { kind: "none" }
  | { kind: "apiKey" }
  | { kind: "client"; steamId: string; tradeUrl: string; claims: ClientClaims };

export interface RouteRequest {
  /** The operation as the contract names it: `POST /client/trading/deposit`. */
  op: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  caller: Caller;
  requestId: string;
}

export type AuthKind = "apiKey" | "client" | "none";

export interface Route {
  method: "GET" | "POST";
  template: string;
  auth: AuthKind;
  handler: (req: RouteRequest) => unknown | Promise<unknown>;
}

export interface Match<R = Route> {
  route: R;
  params: Record<string, string>;
}

export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const want = template.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith("{") && w.endsWith("}")) {
      if (g === "") return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

/** The first route of `method` whose template matches `path`, with the path's parameters. */
export function findRoute<R extends { method: string; template: string }>(
  routes: readonly R[],
  method: string,
  path: string,
): Match<R> | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.template, path);
    if (params) return { route, params };
  }
  return undefined;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the raw request body (up to 1 MiB). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw validationError({ body: "must be at most 1 MiB" }, 413);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** JSON body or undefined when empty; malformed JSON is a 400 VALIDATION_FAILED. */
export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw validationError({ body: "is not valid JSON" }, 400);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
