/**
 * The bot's one HTTP listener (`node:http`, no framework): AssetPay callbacks, `/healthz`,
 * `/metrics`, and any route a platform adds (the Telegram webhook). Bodies are read raw, up to a
 * cap, because the callback signature is computed over the exact bytes received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";

export const MAX_BODY_BYTES = 1024 * 1024;

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

export function createHttpListener(opts: { logger: Logger; maxBodyBytes?: number }): HttpListener {
  const routes = new Map<string, RouteHandler>();
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  let active = 0;
  let drained: (() => void) | undefined;

  const server = createServer(async (req, res) => {
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
      send(res, await handler(req, body));
    } catch (err) {
      opts.logger.error({ err, path: req.url?.split("?")[0] }, "request handler failed");
      if (!res.headersSent) send(res, { status: 500, body: { error: "internal" } });
      else res.destroy();
    } finally {
      active--;
      if (active === 0) drained?.();
    }
  });
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
