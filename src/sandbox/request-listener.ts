/**
 * The sandbox's node:http listener: `/_sandbox/` goes to the control API, `/steam/openid/` to the
 * emulated Steam sign-in, everything else to the AssetPay API — authenticated, possibly answered
 * by an injected fault, enveloped, and recorded in the request log (without credentials).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { authenticateApiKey, authenticateClient } from "./auth.ts";
import type { RequestLogEntry, SandboxContext } from "./context.ts";
import { type ControlRoute, handleControl } from "./control.ts";
import { ApiError, retryAfterHeaders, successEnvelope } from "./errors.ts";
import {
  type Caller,
  findRoute,
  isApiError,
  parseJsonBody,
  type Route,
  readBody,
  sendJson,
} from "./router.ts";
import { OPENID_PREFIX, type SteamOpenIdProvider } from "./steam-openid.ts";

const MAX_LOG = 2_000;

export interface ListenerParts {
  ctx: SandboxContext;
  api: readonly Route[];
  control: readonly ControlRoute[];
  steamOpenId: SteamOpenIdProvider;
}

/** One API request as it is parsed: who called, what they sent. */
interface ApiCall {
  req: IncomingMessage;
  url: URL;
  method: string;
  path: string;
  requestId: string;
  caller: Caller;
  body?: unknown;
}

interface Answer {
  status: number;
  payload: unknown;
  headers: Record<string, string>;
  errorKey?: string;
}

export function createRequestListener(parts: ListenerParts): RequestListener {
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const method = req.method ?? "GET";
    if (path === "/_sandbox" || path.startsWith("/_sandbox/")) {
      await handleControl(parts.control, req, res, method, path);
    } else if (path.startsWith(`${OPENID_PREFIX}/`)) {
      await parts.steamOpenId.handle(req, res, url, `http://${req.headers.host ?? "127.0.0.1"}`);
    } else {
      await serveApi(parts, res, {
        req,
        url,
        method,
        path,
        requestId: randomUUID(),
        caller: { kind: "none" },
      });
    }
  };
  return (req, res) => {
    serve(req, res).catch((err: unknown) => {
      // A client that hung up mid-request: nothing left to answer.
      parts.ctx.logger.warn({ err, url: req.url }, "sandbox request aborted");
      if (!res.headersSent) res.destroy();
    });
  };
}

async function serveApi(parts: ListenerParts, res: ServerResponse, call: ApiCall): Promise<void> {
  const started = performance.now();
  const answer = await answerApi(parts, call);
  sendJson(res, answer.status, answer.payload, answer.headers);
  logRequest(parts.ctx, call, answer, Math.round(performance.now() - started));
}

async function answerApi(parts: ListenerParts, call: ApiCall): Promise<Answer> {
  const headers = { "x-request-id": call.requestId };
  try {
    const data = await dispatch(parts, call);
    return { status: 200, payload: successEnvelope(call.requestId, data), headers };
  } catch (err) {
    if (!isApiError(err)) parts.ctx.logger.error({ err, path: call.path }, "sandbox handler crashed");
    const apiError = isApiError(err)
      ? err
      : new ApiError("SERVER_ERROR", { message: "Internal sandbox error" });
    return {
      status: apiError.status,
      payload: apiError.body(call.requestId),
      headers: { ...headers, ...apiError.headers },
      errorKey: apiError.key,
    };
  }
}

/** Finds the route, authenticates the caller, applies an injected fault, runs the handler. */
async function dispatch({ ctx, api }: ListenerParts, call: ApiCall): Promise<unknown> {
  const { req, method, path } = call;
  const raw = await readBody(req);
  const match = findRoute(api, method, path);
  if (!match) throw new ApiError("NOT_FOUND", { message: `No route ${method} ${path}` });
  const { route, params } = match;
  const op = `${route.method} ${route.template}`;
  if (route.auth === "apiKey") call.caller = authenticateApiKey(ctx.config, req.headers);
  if (route.auth === "client") {
    call.caller = authenticateClient(ctx.config, req.headers, Math.floor(Date.now() / 1000));
  }
  const injected = ctx.faults.takeApiError(op);
  if (injected) {
    const message = `Injected by the sandbox: ${injected.key}`;
    throw new ApiError(injected.key, { message, ...retryAfterHeaders(injected.retryAfter) });
  }
  call.body = route.method === "POST" ? parseJsonBody(raw) : undefined;
  const { caller, body, requestId } = call;
  return route.handler({ op, params, query: call.url.searchParams, body, caller, requestId });
}

function callerLabel(caller: Caller): string {
  if (caller.kind === "client") return `client:${caller.steamId}`;
  return caller.kind === "apiKey" ? "api-key" : "none";
}

function logRequest(ctx: SandboxContext, call: ApiCall, answer: Answer, durationMs: number): void {
  const { method, path, requestId } = call;
  const entry: RequestLogEntry = {
    at: new Date().toISOString(),
    virtualAt: ctx.clock.iso(),
    requestId,
    method,
    path,
    query: Object.fromEntries(call.url.searchParams),
    caller: callerLabel(call.caller),
    status: answer.status,
    durationMs,
  };
  if (call.body !== undefined) entry.body = call.body;
  if (answer.errorKey !== undefined) entry.errorKey = answer.errorKey;
  ctx.requestLog.push(entry);
  if (ctx.requestLog.length > MAX_LOG) ctx.requestLog.splice(0, ctx.requestLog.length - MAX_LOG);
  const { status, errorKey } = answer;
  ctx.logger.debug({ method, path, status, errorKey, requestId }, "sandbox request");
}
