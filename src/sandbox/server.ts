/**
 * The AssetPay sandbox: a stateful emulator of the AssetPay API on node:http. createSandbox
 * builds one instance (state, lifecycle, callback sender, control surface); startSandbox also
 * listens on a port. Everything later (integration tests, the demo) runs against it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as wait } from "node:timers/promises";
import { centsToDollars, dollarsToCents } from "../base/money.ts";
import { apiRoutes } from "./api/routes.ts";
import { authenticateApiKey, authenticateClient } from "./auth.ts";
import { type CallbackSender, createCallbackSender, type DeliveryRecord } from "./callbacks.ts";
import { createCatalog } from "./catalog.ts";
import { createVirtualClock, startAutoProgression } from "./clock.ts";
import type { RequestLogEntry, SandboxConfig, SandboxContext, Sleep } from "./context.ts";
import { controlRoutes, handleControl } from "./control.ts";
import { ApiError, successEnvelope } from "./errors.ts";
import {
  createFaults,
  type FaultSpec,
  type FaultSpecInput,
  FaultSpecSchema,
  type FaultStats,
} from "./faults.ts";
import { createInventories } from "./inventory.ts";
import { createLifecycle, type ForceInput } from "./lifecycle.ts";
import { type SandboxLogger, silentLogger } from "./logger.ts";
import { createMarket } from "./market.ts";
import { movePrice, type PriceMove } from "./prices.ts";
import { createRng } from "./prng.ts";
import { type Caller, findRoute, isApiError, parseJsonBody, readBody, sendJson } from "./router.ts";
import { createSteamOpenIdProvider, OPENID_PREFIX } from "./steam-openid.ts";
import { createTradeStore } from "./trades.ts";
import { type TradeJson, tradeJson } from "./wire.ts";

export const SANDBOX_DEFAULTS = {
  port: 4010,
  apiKey: "ap_sandbox_key",
  apiSecret: "sandbox-secret",
  merchantId: "6f1c2a4e-8b3d-4f5a-9c7e-2d1b0a9e8f70",
  approvalTimeoutMs: 10_000,
  callbackRetry: { attempts: 6, baseDelayMs: 1_000 },
  deliveryTimeoutMs: 15_000,
  pingTimeoutMs: 8_000,
  createLatencyMs: 20,
  merchantBalance: 100_000,
  seed: "skinbridge",
} as const;

export interface SandboxOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  host?: string;
  apiKey?: string;
  apiSecret?: string;
  merchantId?: string;
  /** Set without the URL-test ping (use setCallbackUrl to ping). */
  callbackUrl?: string;
  /** Adds `s1=` signed with this secret, as during a secret rotation. */
  previousSecret?: string;
  /** Virtual time at start (default: now). */
  startTime?: Date;
  /** Virtual seconds per real second for auto-progression; undefined = manual clock only. */
  timeScale?: number;
  /** Per approval attempt (default 10 000 ms, as AssetPay). */
  approvalTimeoutMs?: number;
  /** Ordinary callback retries: attempts in all, first backoff (doubling). Default 6 × 1 s. */
  callbackRetry?: { attempts: number; baseDelayMs: number };
  /** Per ordinary delivery attempt (default 15 000 ms). */
  deliveryTimeoutMs?: number;
  /** isInstant when a deposit omits it (default false, as the contract says). */
  isInstantDefault?: boolean;
  /** Real milliseconds an offer takes to create (default 20). */
  createLatencyMs?: number;
  /** How real-time pauses are waited out (offer creation, delivery delays, retry backoff); tests inject one. */
  sleep?: Sleep;
  /** Merchant wallet in USD (default 100 000). */
  merchantBalance?: number;
  /** Seed of every invented thing: inventories are per SteamID regardless. */
  seed?: string;
  logger?: SandboxLogger;
}

export interface AdvanceResult {
  now: string;
  ran: number;
}

export type { PriceMove };

export interface FaultControls {
  /** Replaces the fault configuration; a bare number means "the next N deliveries". */
  set(spec: FaultSpecInput): void;
  clear(): void;
  config(): FaultSpec;
  stats(): FaultStats;
}

export interface SandboxState {
  now: string;
  merchant: { id: string; balance: number; callbackUrl: string | null };
  trades: TradeJson[];
  scheduled: { at: string; label: string; tradeId?: string }[];
  faults: { config: FaultSpec; stats: FaultStats };
  heldDeliveries: string[];
}

/** A sandbox instance without a listening socket (mount `handle` anywhere). */
export interface SandboxCore {
  readonly merchantId: string;
  readonly apiKey: string;
  readonly clock: { now(): Date; advance(seconds: number): Promise<AdvanceResult> };
  readonly callbackUrl: string | undefined;
  /** Sends the unsigned test ping; saves the URL when it answered 2xx within 8 s (or with force). */
  setCallbackUrl(url: string | null, opts?: { force?: boolean }): Promise<boolean>;
  readonly trades: { get(ref: string): TradeJson | undefined; list(): TradeJson[] };
  /** Every callback delivery so far, with its attempts. */
  readonly deliveries: DeliveryRecord[];
  /** Every API request so far (no credentials). */
  readonly requestLog: RequestLogEntry[];
  readonly faults: FaultControls;
  /** Forces a transition (trade, or one withdraw item) and sends its callback. */
  transition(ref: string, input: ForceInput): TradeJson;
  setPrice(move: PriceMove): number;
  setCollateral(steamId: string, usd: { provider?: number; merchant?: number }): void;
  /** The merchant wallet in USD. */
  readonly balance: number;
  setBalance(usd: number): void;
  state(): SandboxState;
  /** Resolves when no callback is in flight and no scheduled step is running. */
  idle(): Promise<void>;
  /** Sends deliveries a reorder fault still holds back. */
  releaseHeld(): Promise<void>;
  /** Back to the initial state: no trades, fresh inventories and market, clock at its start. */
  reset(): Promise<void>;
  handle: RequestListener;
  /** Stops timers and pending deliveries (does not close a server: see Sandbox.close). */
  shutdown(): Promise<void>;
}

export interface Sandbox extends SandboxCore {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_LOG = 2_000;

export function createSandbox(opts: SandboxOptions = {}): SandboxCore {
  const logger = opts.logger ?? silentLogger;
  const startMs = opts.startTime?.getTime() ?? Date.now();
  const config: SandboxConfig = {
    apiKey: opts.apiKey ?? SANDBOX_DEFAULTS.apiKey,
    apiSecret: opts.apiSecret ?? SANDBOX_DEFAULTS.apiSecret,
    merchantId: opts.merchantId ?? SANDBOX_DEFAULTS.merchantId,
    seed: opts.seed ?? SANDBOX_DEFAULTS.seed,
    startMs,
    isInstantDefault: opts.isInstantDefault ?? false,
    createLatencyMs: opts.createLatencyMs ?? SANDBOX_DEFAULTS.createLatencyMs,
    initialBalanceCents: dollarsToCents(opts.merchantBalance ?? SANDBOX_DEFAULTS.merchantBalance),
  };
  if (opts.previousSecret !== undefined) config.previousSecret = opts.previousSecret;

  const clock = createVirtualClock(startMs, logger);
  const faults = createFaults();
  const sleep: Sleep = opts.sleep ?? ((ms, signal) => wait(ms, undefined, signal ? { signal } : undefined));
  const sender: CallbackSender = createCallbackSender({
    secret: config.apiSecret,
    ...(config.previousSecret !== undefined ? { previousSecret: config.previousSecret } : {}),
    retry: opts.callbackRetry ?? SANDBOX_DEFAULTS.callbackRetry,
    approvalTimeoutMs: opts.approvalTimeoutMs ?? SANDBOX_DEFAULTS.approvalTimeoutMs,
    deliveryTimeoutMs: opts.deliveryTimeoutMs ?? SANDBOX_DEFAULTS.deliveryTimeoutMs,
    pingTimeoutMs: SANDBOX_DEFAULTS.pingTimeoutMs,
    faults,
    logger,
    sleep,
    ...(opts.callbackUrl !== undefined ? { url: opts.callbackUrl } : {}),
  });
  const catalog = createCatalog();
  const ctx: SandboxContext = {
    config,
    logger,
    sleep,
    clock,
    rng: createRng(`ids:${config.seed}`),
    catalog,
    inventories: createInventories(catalog),
    market: createMarket(catalog, config.seed),
    trades: createTradeStore(),
    sender,
    faults,
    wallet: { balanceCents: config.initialBalanceCents },
    clients: new Map(),
    collateral: new Map(),
    depositTimes: new Map(),
    locks: new Set(),
    requestLog: [],
  };
  const lifecycle = createLifecycle(ctx);
  const startedAt = Date.now();
  const routes = apiRoutes({ ctx, lifecycle }, startedAt);

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 50; i++) {
      await clock.idle();
      await sender.idle();
      if (!clock.busy() && !sender.busy()) return;
    }
  };

  /** A held delivery whose trade has nothing more to say would wait forever: send it now. */
  const releaseOrphans = async (): Promise<void> => {
    const orphans = sender.heldTradeIds().filter((id) => !clock.hasPendingFor(id));
    await Promise.all(orphans.map((id) => sender.releaseHeld(id)));
  };

  const advance = async (seconds: number): Promise<AdvanceResult> => {
    await settle();
    const ran = await clock.advance(seconds);
    await settle();
    await releaseOrphans();
    await settle();
    return { now: clock.iso(), ran };
  };

  const stopAuto =
    opts.timeScale !== undefined ? startAutoProgression(advance, opts.timeScale) : () => undefined;

  const findTrade = (ref: string) => {
    const trade = ctx.trades.byRef(ref);
    if (!trade) throw new ApiError("TRADE_NOT_FOUND");
    return trade;
  };

  const core: SandboxCore = {
    merchantId: config.merchantId,
    apiKey: config.apiKey,
    clock: { now: () => clock.now(), advance },
    get callbackUrl() {
      return sender.url();
    },
    async setCallbackUrl(url, setOpts = {}) {
      if (url === null) {
        sender.setUrl(undefined);
        return true;
      }
      const ping = await sender.ping(url);
      if (ping.ok || setOpts.force) sender.setUrl(url);
      return ping.ok;
    },
    trades: {
      get: (ref) => {
        const t = ctx.trades.byRef(ref);
        return t ? tradeJson(t) : undefined;
      },
      list: () =>
        ctx.trades
          .all()
          .sort((a, b) => a.seq - b.seq)
          .map(tradeJson),
    },
    get deliveries() {
      return sender.deliveries();
    },
    get requestLog() {
      return ctx.requestLog.map((e) => ({ ...e }));
    },
    faults: {
      set: (spec) => faults.set(FaultSpecSchema.parse(spec) as FaultSpec),
      clear: () => faults.clear(),
      config: () => faults.config(),
      stats: () => faults.stats(),
    },
    transition(ref, input) {
      const trade = findTrade(ref);
      lifecycle.force(trade, input);
      return tradeJson(trade);
    },
    setPrice: (move) => movePrice(ctx, move),
    setCollateral(steamId, usd) {
      const current = ctx.collateral.get(steamId) ?? {};
      if (usd.provider !== undefined) current.providerCents = dollarsToCents(usd.provider);
      if (usd.merchant !== undefined) current.merchantCents = dollarsToCents(usd.merchant);
      ctx.collateral.set(steamId, current);
    },
    get balance() {
      return centsToDollars(ctx.wallet.balanceCents);
    },
    setBalance(usd) {
      ctx.wallet.balanceCents = dollarsToCents(usd);
    },
    state: () => ({
      now: clock.iso(),
      merchant: {
        id: config.merchantId,
        balance: centsToDollars(ctx.wallet.balanceCents),
        callbackUrl: sender.url() ?? null,
      },
      trades: core.trades.list(),
      scheduled: clock.pending().map((t) => ({
        at: new Date(t.at).toISOString(),
        label: t.label,
        ...(t.tradeId !== undefined ? { tradeId: t.tradeId } : {}),
      })),
      faults: { config: faults.config(), stats: faults.stats() },
      heldDeliveries: sender.heldTradeIds(),
    }),
    idle: settle,
    releaseHeld: async () => {
      await sender.releaseHeld();
      await settle();
    },
    async reset() {
      clock.reset(startMs);
      sender.reset();
      faults.reset();
      await settle();
      ctx.trades.reset();
      ctx.inventories.reset();
      ctx.market.reset(config.seed);
      ctx.rng = createRng(`ids:${config.seed}`);
      ctx.wallet.balanceCents = config.initialBalanceCents;
      ctx.clients.clear();
      ctx.collateral.clear();
      ctx.depositTimes.clear();
      ctx.locks.clear();
      ctx.requestLog.length = 0;
    },
    handle: (req, res) => {
      handleRequest(req, res).catch((err: unknown) => {
        // A client that hung up mid-request: nothing left to answer.
        logger.warn({ err, url: req.url }, "sandbox request aborted");
        if (!res.headersSent) res.destroy();
      });
    },
    async shutdown() {
      stopAuto();
      clock.reset(clock.nowMs());
      await sender.close();
    },
  };

  const control = controlRoutes(core);
  const steamOpenId = createSteamOpenIdProvider();

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const method = req.method ?? "GET";
    if (path === "/_sandbox" || path.startsWith("/_sandbox/")) {
      await handleControl(control, req, res, method, path);
      return;
    }
    if (path.startsWith(`${OPENID_PREFIX}/`)) {
      await steamOpenId.handle(req, res, url, `http://${req.headers.host ?? "127.0.0.1"}`);
      return;
    }
    let status = 200;
    let payload: unknown;
    let headers: Record<string, string> = { "x-request-id": requestId };
    let caller: Caller = { kind: "none" };
    let body: unknown;
    let errorKey: string | undefined;
    try {
      const raw = await readBody(req);
      const match = findRoute(routes, method, path);
      if (!match) throw new ApiError("NOT_FOUND", { message: `No route ${method} ${path}` });
      const op = `${match.route.method} ${match.route.template}`;
      if (match.route.auth === "apiKey") caller = authenticateApiKey(config, req.headers);
      if (match.route.auth === "client") {
        caller = authenticateClient(config, req.headers, Math.floor(Date.now() / 1000));
      }
      const injected = faults.takeApiError(op);
      if (injected) {
        throw new ApiError(injected.key, {
          message: `Injected by the sandbox: ${injected.key}`,
          ...(injected.retryAfter !== undefined
            ? { headers: { "retry-after": String(injected.retryAfter) } }
            : {}),
        });
      }
      body = match.route.method === "POST" ? parseJsonBody(raw) : undefined;
      const data = await match.route.handler({
        op,
        params: match.params,
        query: url.searchParams,
        body,
        caller,
        requestId,
      });
      payload = successEnvelope(requestId, data);
    } catch (err) {
      const apiError = isApiError(err)
        ? err
        : new ApiError("SERVER_ERROR", { message: "Internal sandbox error" });
      if (!isApiError(err)) logger.error({ err, path }, "sandbox handler crashed");
      status = apiError.status;
      payload = apiError.body(requestId);
      headers = { ...headers, ...apiError.headers };
      errorKey = apiError.key;
    }
    sendJson(res, status, payload, headers);
    const entry: RequestLogEntry = {
      at: new Date().toISOString(),
      virtualAt: clock.iso(),
      requestId,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      caller:
        caller.kind === "client" ? `client:${caller.steamId}` : caller.kind === "apiKey" ? "api-key" : "none",
      status,
      durationMs: Math.round(performance.now() - started),
    };
    if (body !== undefined) entry.body = body;
    if (errorKey !== undefined) entry.errorKey = errorKey;
    ctx.requestLog.push(entry);
    if (ctx.requestLog.length > MAX_LOG) ctx.requestLog.splice(0, ctx.requestLog.length - MAX_LOG);
    logger.debug({ method, path, status, errorKey, requestId }, "sandbox request");
  };

  return core;
}

/** Creates a sandbox and listens on 127.0.0.1 (or `host`) at `port` (0 = any free port). */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const core = createSandbox(opts);
  const server = createServer(core.handle);
  // Long enough for undici to reuse connections (it skips servers hinting under 2 s).
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? SANDBOX_DEFAULTS.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host ?? "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return Object.assign(core, {
    url,
    port,
    close(): Promise<void> {
      closing ??= (async () => {
        await core.shutdown();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  });
}
