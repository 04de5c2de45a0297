/**
 * Test harness for the sandbox: a real callback receiver (node:http on 127.0.0.1) that verifies
 * every signature with verifySignature, a small JSON client, and helpers to mint client tokens.
 */
import { EventEmitter } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type SignatureResult, verifySignature } from "../../src/assetpay/signature.ts";
import { mintClientToken } from "../../src/assetpay/token.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.ts";

export const SECRET = "test-secret";
export const API_KEY = "ap_test_key";
export const MERCHANT_ID = "0b6f3c1e-2a4d-4e8f-9a7b-5c3d2e1f0a9b";

/** A trade URL for Steam account `partner` (its SteamID64 is 76561197960265728 + partner). */
export function tradeUrl(partner: number, token = "AbCdEf12"): string {
  return `https://steamcommunity.com/tradeoffer/new/?partner=${partner}&token=${token}`;
}
export function steamIdOf(partner: number): string {
  return (76561197960265728n + BigInt(partner)).toString();
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { trade?: TradeBody; test?: boolean; [k: string]: unknown };
  signature: SignatureResult;
  deliveryId: string | undefined;
}

export interface TradeBody {
  id: string;
  type: string;
  status: string;
  externalId?: string;
  items: { id: string; status?: string; error?: string; externalId?: string; [k: string]: unknown }[];
  totalPrice: number;
  preCredit?: number;
  pendingCredit?: number;
  error?: string;
  [k: string]: unknown;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** Never answer (the sender's timeout ends the attempt). */
  hang?: boolean;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Decides the answer to each callback (default: 200 `{}`). */
  reply: (cb: Received) => Reply;
  /** Resolves with the first callback (already received or future) matching `pred`. */
  waitFor(pred: (cb: Received) => boolean, timeoutMs?: number): Promise<Received>;
  /** Trade statuses announced for one trade, in arrival order (signed ones only). */
  statuses(tradeId: string): string[];
  close(): Promise<void>;
}

export async function startReceiver(secret = SECRET): Promise<Receiver> {
  const events = new EventEmitter();
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  let server: Server;
  const receiver: Receiver = {
    url: "",
    received,
    reply: () => ({ status: 200, body: {} }),
    waitFor(pred, timeoutMs = 5_000) {
      const hit = received.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off("callback", listener);
          reject(new Error(`no matching callback within ${timeoutMs} ms (got ${received.length})`));
        }, timeoutMs);
        const listener = (cb: Received) => {
          if (!pred(cb)) return;
          clearTimeout(timer);
          events.off("callback", listener);
          resolve(cb);
        };
        events.on("callback", listener);
      });
    },
    statuses: (tradeId) =>
      received
        .filter((r) => r.signature.ok && r.body.trade?.id === tradeId)
        .map((r) => r.body.trade?.status ?? "?"),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const header = req.headers["x-assetpay-signature"];
      const cb: Received = {
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as Received["body"],
        signature: verifySignature({
          header: Array.isArray(header) ? header[0] : header,
          rawBody: raw,
          secret,
        }),
        deliveryId: /(?:^|,)id=([^,]+)/.exec(String(header ?? ""))?.[1],
      };
      received.push(cb);
      const reply = receiver.reply(cb);
      events.emit("callback", cb);
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      const text = JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status ?? 200, { "content-type": "application/json" }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/assetpay/callback`;
  return receiver;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: {
    requestId: string;
    success: boolean;
    // biome-ignore lint/suspicious/noExplicitAny: test access into arbitrary JSON
    data?: any;
    error?: {
      code: number;
      key: string;
      message: string | string[];
      fields?: Record<string, string>;
      // biome-ignore lint/suspicious/noExplicitAny: test access into arbitrary JSON
      details?: any;
    };
  };
}

export interface Api {
  call(
    method: string,
    path: string,
    opts?: { body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  /** As a merchant (api-key). */
  merchant(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** As a client holding `token`. */
  client(token: string, method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** The control API (plain JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: test access into arbitrary JSON
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export function apiFor(sandbox: Sandbox): Api {
  const call: Api["call"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    let payload: string | undefined = opts.raw;
    if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${sandbox.url}${path}`, { method, headers, body: payload ?? null });
    return { status: res.status, headers: res.headers, body: (await res.json()) as ApiResponse["body"] };
  };
  return {
    call,
    merchant: (method, path, body) => call(method, path, { body, headers: { "api-key": sandbox.apiKey } }),
    client: (token, method, path, body) =>
      call(method, path, { body, headers: { authorization: `Bearer ${token}` } }),
    async control(method, path, body) {
      const res = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}

export function tokenFor(
  partner: number,
  opts: {
    token?: string;
    clientId?: string;
    clientData?: Parameters<typeof mintClientToken>[0]["clientData"];
  } = {},
): string {
  return mintClientToken({
    merchantId: MERCHANT_ID,
    apiSecret: SECRET,
    steamId: steamIdOf(partner),
    tradeUrl: tradeUrl(partner, opts.token),
    ...(opts.clientId !== undefined ? { clientId: opts.clientId } : {}),
    ...(opts.clientData !== undefined ? { clientData: opts.clientData } : {}),
  }).token;
}

export function sandboxOptions(extra: SandboxOptions = {}): SandboxOptions {
  return {
    port: 0,
    apiKey: API_KEY,
    apiSecret: SECRET,
    merchantId: MERCHANT_ID,
    startTime: new Date("2026-07-01T12:00:00.000Z"),
    callbackRetry: { attempts: 3, baseDelayMs: 20 },
    approvalTimeoutMs: 2_000,
    createLatencyMs: 5,
    ...extra,
  };
}

export interface World {
  sandbox: Sandbox;
  api: Api;
  receiver: Receiver;
  close(): Promise<void>;
}

/**
 * A sandbox and a fresh receiver, the sandbox's callback URL pointing at it (unless
 * `noCallbackUrl`). `receiverSecret` is what the receiver verifies signatures with.
 */
export async function startWorld(
  extra: SandboxOptions = {},
  opts: { receiverSecret?: string; noCallbackUrl?: boolean } = {},
): Promise<World> {
  const receiver = await startReceiver(opts.receiverSecret);
  const sandbox = await startSandbox(
    sandboxOptions(opts.noCallbackUrl ? extra : { callbackUrl: receiver.url, ...extra }),
  );
  return {
    sandbox,
    api: apiFor(sandbox),
    receiver,
    async close() {
      await sandbox.close();
      await receiver.close();
    },
  };
}

/** The first inventory items a user can deposit (tradable and accepted), cheapest first. */
export async function depositable(api: Api, token: string, game = 730, count = 1) {
  const res = await api.client(
    token,
    "GET",
    `/client/inventory?game=${game}&acceptedOnly=true&limit=-1&sort=priceAsc`,
  );
  // biome-ignore lint/suspicious/noExplicitAny: inventory items are arbitrary JSON here
  const items = (res.body.data.inventory as any[]).filter((i) => i.tradable);
  if (items.length < count) throw new Error(`user has only ${items.length} depositable items`);
  return items.slice(0, count) as {
    id: string;
    offer: { price: number };
    amount: number;
    marketHashName: string;
  }[];
}

/** A cheap CS2 standard-delivery listing id and price. */
export async function cheapListing(api: Api, token: string, opts: { skip?: number; delivery?: string } = {}) {
  const market = await api.client(token, "GET", "/client/market?sort=priceAsc&perPage=-1");
  // biome-ignore lint/suspicious/noExplicitAny: market rows are arbitrary JSON here
  const rows = (market.body.data.items as any[]).filter(
    (i) => i.offer.delivery === (opts.delivery ?? "standard"),
  );
  const row = rows[opts.skip ?? 0];
  if (!row) throw new Error("no listing");
  return { id: row.id as string, price: row.offer.price as number, itemId: row.itemId as string };
}
