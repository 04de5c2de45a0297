/**
 * The bot's HTTP listener (`node:http`, no framework): AssetPay callbacks, health, `/metrics`,
 * and any route a platform adds (the Telegram webhook). Bodies are read raw, up to a cap,
 * because the callback signature is computed over the exact bytes received.
 *
 * It faces the internet, so nothing a client does slowly may hold it: headers must arrive
 * within `headersTimeoutMs`, the whole request within `requestTimeoutMs`, and the connection cap
 * evicts slow connections rather than refusing new ones (connection-guard.ts). A client hanging
 * up is its business: logged at debug, without a stack.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Logger } from "pino";
import { type ConnectionGuard, guardConnections } from "./connection-guard.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

export const LISTENER_LIMITS = {
  /** AssetPay sends its headers at once; 10 s covers any honest network. */
  headersTimeoutMs: 10_000,
  /** Headers and a body of at most 1 MiB. */
  requestTimeoutMs: 30_000,
  maxConnections: 512,
};

export interface HttpListenerOptions {
  logger: Logger;
  maxBodyBytes?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxConnections?: number;
}

/** What Node's request parser reports when a client disconnects or sends garbage. */
function isClientGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || (err as Error)?.message === "aborted"
  );
}

export interface HttpReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: IncomingMessage, rawBody: Buffer) => Promise<HttpReply>;

export interface HttpListener {
  route(method: "GET" | "POST", path: string, handler: RouteHandler): void;
  listen(port: number, host: string): Promise<{ port: number; url: string }>;
  /** Stops accepting connections and waits for in-flight requests to be answered. */
  close(): Promise<void>;
  server: Server;
  inFlight(): number;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    // A socket destroyed by a deadline may close the request without an 'error'.
    req.on("close", () => {
      if (!req.complete) reject(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
    });
  });
}

function send(res: ServerResponse, reply: HttpReply): void {
  const isText = typeof reply.body === "string";
  const payload =
    reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": isText ? "text/plain; charset=utf-8" : "application/json",
    "content-length": Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}

export function createHttpListener(opts: HttpListenerOptions): HttpListener {
  const routes = new Map<string, RouteHandler>();
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const requestTimeout = opts.requestTimeoutMs ?? LISTENER_LIMITS.requestTimeoutMs;
  const headersTimeout = Math.min(opts.headersTimeoutMs ?? LISTENER_LIMITS.headersTimeoutMs, requestTimeout);
  let active = 0;
  let drained: (() => void) | undefined;

  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      // Deadlines are enforced by a sweep; Node's default (30 s) would let a slow client stay
      // that much longer than its deadline.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 2))),
    },
    (req, res) => void handle(req, res),
  );
  const guard: ConnectionGuard = guardConnections(server, {
    max: opts.maxConnections ?? LISTENER_LIMITS.maxConnections,
    logger: opts.logger,
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    opts.logger.debug({ code: err.code }, "client connection error");
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    active++;
    try {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const handler = routes.get(`${req.method} ${path}`);
      if (!handler) {
        const known = [...routes.keys()].some((k) => k.endsWith(` ${path}`));
        send(
          res,
          known
            ? { status: 405, body: { error: "method_not_allowed" } }
            : { status: 404, body: { error: "not_found" } },
        );
        return;
      }
      let body: Buffer;
      try {
        body = req.method === "GET" ? Buffer.alloc(0) : await readBody(req, limit);
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          send(res, { status: 413, body: { error: "body_too_large" }, headers: { connection: "close" } });
          return;
        }
        throw err;
      }
      guard.busy(req.socket);
      res.once("close", () => guard.idle(req.socket));
      send(res, await handler(req, body));
    } catch (err) {
      const path = req.url?.split("?")[0];
      if (isClientGone(err) || req.destroyed) {
        opts.logger.debug(
          { path, code: (err as NodeJS.ErrnoException).code },
          "client went away mid-request",
        );
        res.destroy();
      } else {
        opts.logger.error({ err, path }, "request handler failed");
        if (!res.headersSent) send(res, { status: 500, body: { error: "internal" } });
        else res.destroy();
      }
    } finally {
      active--;
      if (active === 0) drained?.();
    }
  }
  server.keepAliveTimeout = 5_000;

  return {
    server,
    route(method, path, handler) {
      routes.set(`${method} ${path}`, handler);
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
          resolve({ port: bound, url: `http://${shown}:${bound}` });
        });
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        if (active === 0) return;
        drained = () => resolve();
      });
    },
    inFlight: () => active,
  };
}
