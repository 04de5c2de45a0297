/**
 * The `/_sandbox/` control API: no auth, plain JSON (no envelope), for tests and people poking
 * the sandbox by hand. Each route is a thin shell over the programmatic SandboxCore methods so
 * both stay in step. Errors answer `{error: {key, message, fields?}}`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { TRADE_STATUSES } from "../assetpay/schemas.ts";
import { ApiError, validationError } from "./errors.ts";
import { FaultSpecSchema } from "./faults.ts";
import { MAGIC_EXTERNAL_IDS, MAGIC_TOKENS } from "./magic.ts";
import { findRoute, parseJsonBody, readBody, sendJson } from "./router.ts";
import type { SandboxCore } from "./sandbox-core.ts";
import { issuesToFields } from "./validation.ts";

export interface ControlRoute {
  method: "GET" | "POST" | "DELETE";
  template: string;
  handler: (
    params: Record<string, string>,
    body: unknown,
    query: URLSearchParams,
  ) => unknown | Promise<unknown>;
}

const AdvanceBody = z.strictObject({
  seconds: z
    .number()
    .min(0)
    .max(10 * 365 * 86_400),
});
const TransitionBody = z.strictObject({
  status: z.enum(TRADE_STATUSES),
  itemId: z.string().min(1).optional(),
  revertedBy: z.enum(["supplier", "user"]).optional(),
  error: z.string().min(1).optional(),
});
const CallbackUrlBody = z.strictObject({ url: z.url().nullable(), force: z.boolean().optional() });
const PriceBody = z
  .strictObject({
    itemId: z.string().min(1).optional(),
    marketHashName: z.string().min(1).optional(),
    price: z.number().gt(0).optional(),
    percent: z.number().gt(-100).max(1000).optional(),
    side: z.enum(["deposit", "withdraw", "both"]).optional(),
    phase: z.string().optional(),
  })
  .refine((b) => b.price !== undefined || b.percent !== undefined, {
    message: "price or percent is required",
    path: ["price"],
  });
const CollateralBody = z.strictObject({
  steamId: z.string().regex(/^76561\d{12}$/),
  provider: z.number().min(0).optional(),
  merchant: z.number().min(0).optional(),
});
const BalanceBody = z.strictObject({ balance: z.number().min(0) });

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw validationError(issuesToFields(result.error.issues), 400);
  return result.data;
}

function strip<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

const faultView = (sandbox: SandboxCore) => ({
  config: sandbox.faults.config(),
  stats: sandbox.faults.stats(),
});

/** Moving time, forcing transitions, starting over. */
function clockRoutes(sandbox: SandboxCore): ControlRoute[] {
  return [
    {
      method: "POST",
      template: "/_sandbox/advance",
      handler: (_p, body) => sandbox.clock.advance(parse(AdvanceBody, body).seconds),
    },
    {
      method: "POST",
      template: "/_sandbox/trades/{tradeId}/transition",
      handler: (p, body) => ({
        trade: sandbox.transition(p.tradeId ?? "", strip(parse(TransitionBody, body))),
      }),
    },
    {
      method: "POST",
      template: "/_sandbox/reset",
      handler: async () => {
        await sandbox.reset();
        return { ok: true, now: sandbox.clock.now().toISOString() };
      },
    },
  ];
}

/** What the sandbox holds and did: state, request log, deliveries, the magic inputs. */
function inspectionRoutes(sandbox: SandboxCore): ControlRoute[] {
  return [
    { method: "GET", template: "/_sandbox/state", handler: () => sandbox.state() },
    {
      method: "GET",
      template: "/_sandbox/requests",
      handler: (_p, _b, q) => ({ requests: sandbox.requestLog.slice(-Number(q.get("limit") ?? 500)) }),
    },
    {
      method: "GET",
      template: "/_sandbox/deliveries",
      handler: (_p, _b, q) => {
        const tradeId = q.get("tradeId");
        return { deliveries: sandbox.deliveries.filter((d) => tradeId === null || d.tradeId === tradeId) };
      },
    },
    {
      method: "GET",
      template: "/_sandbox/magic",
      handler: () => ({ tradeUrlTokens: MAGIC_TOKENS, externalIdPrefixes: MAGIC_EXTERNAL_IDS }),
    },
  ];
}

/** Callback faults and the deliveries they hold back. */
function faultRoutes(sandbox: SandboxCore): ControlRoute[] {
  return [
    { method: "GET", template: "/_sandbox/faults", handler: () => faultView(sandbox) },
    {
      method: "POST",
      template: "/_sandbox/faults",
      handler: (_p, body) => {
        sandbox.faults.set(parse(FaultSpecSchema, body));
        return faultView(sandbox);
      },
    },
    {
      method: "DELETE",
      template: "/_sandbox/faults",
      handler: () => {
        sandbox.faults.clear();
        return faultView(sandbox);
      },
    },
    {
      method: "POST",
      template: "/_sandbox/release-held",
      handler: async () => {
        await sandbox.releaseHeld();
        return { ok: true };
      },
    },
  ];
}

/** The merchant's and the market's settings: callback URL, prices, collateral, wallet. */
function settingRoutes(sandbox: SandboxCore): ControlRoute[] {
  return [
    {
      method: "POST",
      template: "/_sandbox/callback-url",
      handler: async (_p, body) => {
        const { url, force } = parse(CallbackUrlBody, body);
        const pinged = await sandbox.setCallbackUrl(url, force === undefined ? {} : { force });
        return { ping: url === null ? null : pinged, callbackUrl: sandbox.callbackUrl ?? null };
      },
    },
    {
      method: "POST",
      template: "/_sandbox/prices",
      handler: (_p, body) => ({ updated: sandbox.setPrice(strip(parse(PriceBody, body))) }),
    },
    {
      method: "POST",
      template: "/_sandbox/collateral",
      handler: (_p, body) => {
        const { steamId, ...usd } = parse(CollateralBody, body);
        sandbox.setCollateral(steamId, strip(usd));
        return { steamId, ...usd };
      },
    },
    {
      method: "POST",
      template: "/_sandbox/balance",
      handler: (_p, body) => {
        sandbox.setBalance(parse(BalanceBody, body).balance);
        return { balance: sandbox.balance };
      },
    },
  ];
}

export function controlRoutes(sandbox: SandboxCore): ControlRoute[] {
  return [
    ...clockRoutes(sandbox),
    ...inspectionRoutes(sandbox),
    ...faultRoutes(sandbox),
    ...settingRoutes(sandbox),
  ];
}

export async function handleControl(
  routes: readonly ControlRoute[],
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  const query = new URL(req.url ?? "/", "http://sandbox.local").searchParams;
  try {
    const raw = await readBody(req);
    const match = findRoute(routes, method, path);
    if (!match) throw new ApiError("NOT_FOUND", { message: `No control route ${method} ${path}` });
    sendJson(res, 200, await match.route.handler(match.params, parseJsonBody(raw), query));
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError("SERVER_ERROR", { message: String(err) });
    const error: { key: string; message: string | string[]; fields?: Record<string, string> } = {
      key: e.key,
      message: e.messages,
    };
    if (e.fields) error.fields = e.fields;
    sendJson(res, e.status, { error });
  }
}
