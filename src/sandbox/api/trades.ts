/** GET /client/trades, GET /secure/trades (cursor pages) and GET /secure/trades/{tradeId}. */
import { ApiError, validationError } from "../errors.ts";
import type { RouteRequest } from "../router.ts";
import type { TradeRecord } from "../trades.ts";
import { queryObject, TradesQuery, validate } from "../validation.ts";
import { tradeJson } from "../wire.ts";
import { type ApiDeps, requireClient } from "./deps.ts";

const MAX_REFS = 100;

/** Cursors are opaque: the store sequence number of the last trade on the previous page. */
function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { s?: unknown };
    if (typeof parsed.s === "number" && Number.isSafeInteger(parsed.s)) return parsed.s;
  } catch {
    // fall through
  }
  throw validationError({ cursor: "is not a cursor from a previous page" });
}

const encodeCursor = (seq: number): string => Buffer.from(JSON.stringify({ s: seq })).toString("base64url");

function pageOf(req: RouteRequest, trades: TradeRecord[]) {
  const q = validate(TradesQuery, queryObject(req.query));
  const game = q.game ?? "730";
  let rows = trades.filter((t) => t.game === game && (q.type === undefined || t.type === q.type));
  rows.sort((a, b) => b.seq - a.seq);
  if (q.cursor !== undefined) {
    const after = decodeCursor(q.cursor);
    rows = rows.filter((t) => t.seq < after);
  }
  const limit = q.limit ?? 20;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(tradeJson),
    nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
  };
}

export function clientTradesRoute({ ctx }: ApiDeps) {
  return (req: RouteRequest) => {
    const { steamId } = requireClient(req);
    return pageOf(
      req,
      ctx.trades.all().filter((t) => t.source === "client" && t.clientSteamID === steamId),
    );
  };
}

export function secureTradesRoute({ ctx }: ApiDeps) {
  return (req: RouteRequest) =>
    pageOf(
      req,
      ctx.trades.all().filter((t) => t.source === "self"),
    );
}

export function tradeLookupRoute({ ctx }: ApiDeps) {
  return (req: RouteRequest) => {
    const raw = req.params.tradeId ?? "";
    const refs = raw
      .split(",")
      .map((r) => r.trim())
      .filter((r) => r !== "");
    if (refs.length === 0) throw validationError({ tradeId: "must name at least one trade" });
    if (refs.length > MAX_REFS) throw validationError({ tradeId: `must name at most ${MAX_REFS} trades` });
    if (!raw.includes(",")) {
      const trade = ctx.trades.byRef(refs[0] as string);
      if (!trade) throw new ApiError("TRADE_NOT_FOUND");
      return tradeJson(trade);
    }
    const found = new Map<string, TradeRecord>();
    for (const ref of refs) {
      const trade = ctx.trades.byRef(ref);
      if (trade) found.set(trade.id, trade);
    }
    return [...found.values()].map(tradeJson);
  };
}

export function healthRoute({ ctx }: ApiDeps, startedAt: number) {
  return () => ({
    status: "ok",
    timestamp: new Date().toISOString(),
    uptime: Math.round((Date.now() - startedAt) / 1000),
    maintenance: { mode: false },
    virtualTime: ctx.clock.iso(),
  });
}

/** `GET /v1/wallets/me/balance`: the merchant's USD wallet (debited by buys, credited by sells). */
export function walletRoute({ ctx }: ApiDeps) {
  return () => ({
    balance: ctx.wallet.balanceCents / 100,
    pendingBalance: 0,
    escrowBalance: 0,
    currency: "USD",
  });
}
