/**
 * A scriptable stand-in for the AssetPay API on 127.0.0.1: every request is recorded, every
 * POST body is checked against the official contract's request schema (so a field the contract
 * forbids fails the test, as it would fail in production), and each route answers from a queue
 * of handlers whose last entry repeats.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Contract violations of the body, empty when it conforms. */
  contractErrors: string[];
}

export type Handler = (req: Recorded, res: ServerResponse) => void | Promise<void>;

interface Route {
  method: string;
  match: (path: string) => boolean;
  handlers: Handler[];
}

export interface FakeAssetPay {
  url: string;
  requests: Recorded[];
  /** Requests to one method + path (exact, or a RegExp). */
  calls(method: string, path: string | RegExp): Recorded[];
  on(method: string, path: string | RegExp, ...handlers: Handler[]): void;
  close(): Promise<void>;
}

// ajv-formats ships CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;

function bodyValidators(): Map<string, ValidateFunction> {
  const contract = JSON.parse(readFileSync(new URL("./contract-bodies.json", import.meta.url), "utf8")) as {
    bodies: Record<string, object>;
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return new Map(Object.entries(contract.bodies).map(([path, schema]) => [path, ajv.compile(schema)]));
}

const validators = bodyValidators();

export function fakeAssetPay(): Promise<FakeAssetPay> {
  const routes: Route[] = [];
  const requests: Recorded[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = raw === "" ? undefined : JSON.parse(raw);
      } catch {
        body = raw;
      }
      const validate = req.method === "POST" ? validators.get(url.pathname) : undefined;
      const contractErrors =
        validate === undefined || validate(body)
          ? []
          : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
      const rec: Recorded = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        contractErrors,
      };
      requests.push(rec);
      const route = routes.find((r) => r.method === rec.method && r.match(rec.path));
      if (route === undefined) {
        fail(404, { code: 1003, key: "NOT_FOUND", message: `no route ${rec.method} ${rec.path}` })(rec, res);
        return;
      }
      const handler = route.handlers.length > 1 ? route.handlers.shift()! : route.handlers[0]!;
      void handler(rec, res);
    });
  });

  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        calls(method, path) {
          return requests.filter(
            (r) => r.method === method && (typeof path === "string" ? r.path === path : path.test(r.path)),
          );
        },
        on(method, path, ...handlers) {
          const match = typeof path === "string" ? (p: string) => p === path : (p: string) => path.test(p);
          routes.unshift({ method, match, handlers });
        },
        close() {
          server.closeAllConnections();
          return new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(text);
}

export function ok(data: unknown): Handler {
  return (_req, res) => send(res, 200, { requestId: "srv-req-ok", success: true, data });
}

export function fail(
  status: number,
  error: {
    code: number;
    key: string;
    message: string | string[];
    fields?: Record<string, string>;
    details?: Record<string, unknown>;
  },
  headers: Record<string, string> = {},
): Handler {
  return (_req, res) => send(res, status, { requestId: "srv-req-err", success: false, error }, headers);
}

/** Drops the connection without a response, as a crashed proxy or a reset would. */
export const destroySocket: Handler = (_req, res) => {
  res.socket?.destroy();
};

/** Never answers; the server's close() ends such requests. */
export const hang: Handler = () => {};

export function raw(status: number, text: string, contentType = "text/html"): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": contentType });
    res.end(text);
  };
}
